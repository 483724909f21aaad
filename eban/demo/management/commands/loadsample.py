"""`eban loadsample`: load the sample divisions, departments, demo users and catalogue (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from eban.catalogue.interchange import ImportRejected
from eban.core.exceptions import DomainError
from eban.demo.loading import load_sample


class Command(BaseCommand):
    help = (
        "Load the sample data (divisions, departments, demo staff users, the sample catalogue in "
        "eban/demo/sample/matters-*.json, the sample kiosk terminals, settlements and six months of "
        "kiosk transactions). Safe to run again: a second run changes nothing. Demo only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="Do not create the demo staff logins.")

    def handle(self, *args, no_users=False, verbosity=1, **options):
        try:
            report = load_sample(with_users=not no_users)
        except ImportRejected as exc:
            for line in exc.report.lines():
                self.stderr.write(line)
            raise CommandError(
                "样例事项未能导入，目录保持不变。 / The sample matters were not imported."
            ) from None
        except (
            DomainError
        ) as exc:  # an invalid sample kiosk file (loading.SampleDataError): nothing of it saved
            raise CommandError(f"样例数据无效 / Invalid sample data: {exc.message}") from None
        self.stdout.write(
            f"行政区划 divisions: {report.divisions_changed} 新增或更新 created or updated; "
            f"部门 departments: {report.departments_changed}; "
            f"演示账号 demo users: {report.users_changed}; 用户组 groups: {report.groups_changed}; "
            f"样例公民与企业 sample citizens and firms: {report.identities_created}; "
            f"可在线申请的事项 matters open for applications: {report.setups}"
        )
        self.stdout.write(
            f"终端 kiosk terminals: {report.terminals_changed} 新增或更新 created or updated "
            f"(提供事项 offered matters: {report.terminal_matters_changed}); "
            f"村社 settlements: {report.settlements_changed}; "
            f"终端办理记录 kiosk transactions: {report.transactions_created} 新增 created"
        )
        if report.matters is not None:
            for line in report.matters.summary_lines():
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("样例数据已就绪（仅供演示）。 / Sample data loaded (for demonstration only).")
        )
