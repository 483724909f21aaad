"""The usage figures as an .xlsx workbook: the same selection as the dashboard, one sheet per
breakdown (by month, by day, by matter, by terminal, by county). Exporting is audited."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from eban.core import audit

from . import queries as q

EXPORTED = "kiosks.usage.exported"


def workbook_bytes(selection: q.Selection) -> bytes:
    """The workbook (write-only mode: rows streamed, no cell objects kept)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("By month"))
    sheet.append([_("Month"), _("Transactions")])
    days = q.day_counts(selection)
    for month, n in q.by_month(selection, days):
        sheet.append([month.strftime("%Y-%m"), n])
    sheet = book.create_sheet(_("By day"))
    sheet.append([_("Day"), _("Transactions")])
    for day, n in q.by_day(selection, days):
        sheet.append([day, n])
    sheet = book.create_sheet(_("By matter"))
    sheet.append([_("Matter code"), _("Matter"), _("Transactions")])
    for row in q.by_matter(selection, limit=None):
        sheet.append([row.code, row.display_name, row.count])
    sheet = book.create_sheet(_("By terminal"))
    sheet.append([_("Terminal code"), _("Terminal"), _("Level"), _("Division code"), _("Transactions")])
    for row in q.all_terminals(selection):
        sheet.append([row.code, row.display_name, row.level_label, row.division_code, row.count])
    sheet = book.create_sheet(_("By division"))
    sheet.append([_("Division code"), _("Division"), _("Transactions")])
    for row in q.by_county(selection):
        sheet.append([row.code, row.display_name, row.count])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def export(selection: q.Selection, *, actor) -> bytes:
    """The workbook of `selection`, recorded in the audit log (what was exported, not the figures)."""
    data = workbook_bytes(selection)
    audit.record(
        actor,
        EXPORTED,
        actor,
        title="kiosk usage export",
        data={
            "start": selection.period.start.isoformat(),
            "end": selection.period.end.isoformat(),
            "division": selection.division.code if selection.division is not None else "",
        },
    )
    return data
