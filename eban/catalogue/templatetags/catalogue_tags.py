"""Template helpers for the public catalogue pages: labels, query strings, highlighting."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from eban.catalogue.enums import Audience, Category, Channel, MaterialForm, MaterialSource

register = template.Library()

_LABELS = {
    "category": Category,
    "audience": Audience,
    "channel": Channel,
    "material_form": MaterialForm,
    "material_source": MaterialSource,
}


@register.filter
def choice_label(value: str, kind: str) -> str:
    """`{{ "copy"|choice_label:"material_form" }}` → the translated label (or the raw value)."""
    choices = _LABELS.get(kind)
    if choices is None:
        return value
    try:
        return choices(value).label
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters set (or removed when given ""),
    always dropping `page` unless it is one of the changes. Starts with "?"."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("elderly", None)
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_without(context, name: str) -> str:
    """The current query string without one parameter (and without `page`)."""
    return query_with(context, **{name: ""})


def query_terms(query: str) -> list[str]:
    """The words of a simple query worth highlighting: the whole query and its space-separated parts."""
    query = (query or "").strip()
    if not query:
        return []
    parts = {query, *query.split()}
    return sorted((p for p in parts if p), key=len, reverse=True)


@register.filter(needs_autoescape=True)
def highlight(text: str, query: str, autoescape: bool = True) -> SafeString:
    """Wrap the query's words in <mark>, escaping everything else."""
    esc = conditional_escape if autoescape else (lambda s: s)
    text = str(text or "")
    terms = query_terms(query)
    if not terms:
        return mark_safe(esc(text))  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(str(esc(text[last : match.start()])))
        out.append(f"<mark>{esc(match.group(0))}</mark>")
        last = match.end()
    out.append(str(esc(text[last:])))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


@register.filter
def lines(value: str) -> list[str]:
    """Non-empty lines of a multi-line text field."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


@register.filter
def tel_href(phone: str) -> str:
    """A `tel:` target from a displayed phone number such as 0577-12345."""
    return "tel:" + re.sub(r"[^0-9+]", "", str(phone or ""))


@register.filter
def elided(page) -> list:
    """Page numbers around the current one, with the paginator's ellipsis between runs."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
