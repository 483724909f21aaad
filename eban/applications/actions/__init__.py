"""The workflow of an application (办件): every write, as a named transition, by topic.

- base: the transitions, their start states and the two conflicts; lock, check, move, audit;
- submission: submit, answer a supplement request, withdraw (the applicant's side);
- review: accept, decline, take for review, ask for a supplement, decide, complete (the staff's);
- instant: decisions by the matter's rule set at submission (秒批);
- certificates: issuing the certificate of an approved case;
- ratings: the applicant's rating and the department's reply;
- escalation: the periodic sweep's writes.

Each transition checks who acts (staff: a reviewer or department administrator whose scope holds
the case; applicant side: the applicant or whoever acts for them), locks the application row
(`select_for_update`), checks the state (InvalidTransition, 409, naming the current state) and,
when the caller says which version it saw, the version (StalePage, 409), then makes the change,
adds an Event to the timeline, bumps `version`, records an audit entry and creates the
notifications (eban.applications.notify) — all in one transaction.

Reads live in eban.applications.queries; the names below are re-exported so that callers write
`from eban.applications import actions; actions.submit_application(...)`.
"""

from ..notify import department_admins, notify_applicant, notify_certificate_issued, notify_department_admins
from ..queries import (
    certificate_key,
    compute_deadlines,
    deadlines_pending,
    issued_certificate,
    needs_certificate,
    pauses_of,
    rule_check,
)
from .base import ACTIONS, DECIDED, DECISIONS, FROM, MAX_TEXT, InvalidTransition, StalePage
from .certificates import issue_certificate_for
from .escalation import date_pending_follow_ups, escalate, fill_pending_deadlines
from .instant import decide_by_rules, decide_instantly, refusal_reasons
from .ratings import rate, reply_to_rating
from .review import (
    accept,
    approve,
    complete,
    decline,
    default_appeal_route,
    reject,
    request_supplement,
    start_review,
)
from .submission import next_number, resubmit, submit_application, withdraw

__all__ = [
    "ACTIONS",
    "DECIDED",
    "DECISIONS",
    "FROM",
    "MAX_TEXT",
    "InvalidTransition",
    "StalePage",
    "accept",
    "approve",
    "certificate_key",
    "complete",
    "compute_deadlines",
    "deadlines_pending",
    "decide_by_rules",
    "decide_instantly",
    "decline",
    "default_appeal_route",
    "department_admins",
    "date_pending_follow_ups",
    "escalate",
    "fill_pending_deadlines",
    "issue_certificate_for",
    "issued_certificate",
    "needs_certificate",
    "next_number",
    "notify_applicant",
    "notify_certificate_issued",
    "notify_department_admins",
    "pauses_of",
    "rate",
    "refusal_reasons",
    "reject",
    "reply_to_rating",
    "request_supplement",
    "resubmit",
    "rule_check",
    "start_review",
    "submit_application",
    "withdraw",
]
