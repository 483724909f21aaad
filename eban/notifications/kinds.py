"""The kinds of message eban sends, and the named fields each one's templates may use.

A kind is a template code (`application.approved`) plus the fields its callers put in the
context of `actions.notify`. The back office refuses a template that uses a field its kind does
not supply, so a text edited by staff can never ask for a value the code does not give.

    register_kind("application.approved", _("Application approved"), {"case_number", "matter"})
    fields_for("application.approved")   # frozenset({"case_number", "matter"})

Another app may register its own kinds in its AppConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Every named field a template may use, with its label and an example value for previews.
FIELDS: dict[str, tuple[Promise, str]] = {
    "case_number": (_("Case number"), "330302-20251009-0001"),
    "matter": (_("Matter"), "老年人优待证办理"),
    "deadline": (_("Deadline"), "2025-10-20"),
    "items": (_("What to supply or correct"), "户口簿首页复印件；近期免冠照片"),
    "reasons": (_("Reasons"), "年龄未满60周岁"),
    "appeal_route": (
        _("How to appeal"),
        "可在收到本决定之日起60日内向市人民政府申请行政复议，或在6个月内向人民法院提起行政诉讼。",
    ),
    "certificate_number": (_("Certificate number"), "LNYD-330302-2025-000001"),
    "verify_url": (_("Verification link"), "https://eban.example.gov.cn/verify/LNYD-330302-2025-000001"),
    "reply": (_("Department's reply"), "您反映的问题已核实，窗口已调整排队方式。"),
    "department": (_("Department"), "市人力资源和社会保障局"),
}

AUDIENCE_CITIZEN = "citizen"
AUDIENCE_STAFF = "staff"


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise | str
    fields: frozenset[str]
    audience: str = AUDIENCE_CITIZEN


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label: Promise | str, fields, *, audience: str = AUDIENCE_CITIZEN) -> Kind:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"Kind {code}: unknown fields {sorted(unknown)}; add them to kinds.FIELDS")
    kind = Kind(code, label, frozenset(fields), audience)
    KINDS[code] = kind
    return kind


def fields_for(code: str) -> frozenset[str]:
    """The fields a template of this code may use (every known field for an unregistered code)."""
    kind = KINDS.get(code)
    return kind.fields if kind is not None else frozenset(FIELDS)


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind is not None else code


def field_label(name: str) -> str:
    return str(FIELDS[name][0]) if name in FIELDS else name


def example_context(code: str) -> dict[str, str]:
    """Example values for every field of the kind: the back office's preview."""
    return {name: FIELDS[name][1] for name in sorted(fields_for(code))}


_CASE = {"case_number", "matter"}

register_kind("application.submitted", _("Application submitted"), _CASE | {"deadline"})
register_kind("application.accepted", _("Application accepted"), _CASE | {"deadline"})
register_kind("application.declined", _("Application not accepted"), _CASE | {"reasons", "appeal_route"})
register_kind("application.supplement_requested", _("Supplement requested"), _CASE | {"items", "deadline"})
register_kind("application.approved", _("Application approved"), _CASE)
register_kind("application.rejected", _("Application rejected"), _CASE | {"reasons", "appeal_route"})
register_kind("application.completed", _("Application completed"), _CASE)
register_kind("certificate.issued", _("Certificate issued"), _CASE | {"certificate_number", "verify_url"})
register_kind("rating.follow_up_reply", _("Reply to a rating"), _CASE | {"reply"})
register_kind(
    "case.escalated",
    _("Case overdue (to the department)"),
    _CASE | {"deadline", "department"},
    audience=AUDIENCE_STAFF,
)
register_kind(
    "rating.low",
    _("Low rating to follow up (to the department)"),
    _CASE | {"deadline", "department"},
    audience=AUDIENCE_STAFF,
)
