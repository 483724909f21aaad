"""`eban worker`: runs the background tasks (django-tasks database backend). Same options as db_worker."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Run eban's background tasks (imports, search indexing …) from the database queue."
