"""`{% error_summary_for fields error as summary %}`: the error summary of a form from its fields
and its form-wide message, for a page whose view does not build one (the kiosk's apply page)."""

from __future__ import annotations

from django import template

from eban.applications.error_summary import Summary, for_application_form

register = template.Library()


@register.simple_tag
def error_summary_for(fields, error: str = "", summary: Summary | None = None) -> Summary:
    """`summary` when the view gave one, else one built from the fields' errors and `error`."""
    if isinstance(summary, Summary):
        return summary
    return for_application_form(error or "", "", fields or [], [], {})


@register.filter
def error_at(errors: dict | None, index: int) -> str:
    """The message of the material at `index` (Summary.materials), or ""."""
    return (errors or {}).get(index, "")
