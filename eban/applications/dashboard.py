"""The reviewer's dashboard (the back office's home page): what is pressing in their queue.

Read from the queue of `queries.queue_rows` (same scope, same order, same warning levels):
the cases overdue and due soon — the first few of each, with their working-day deadline —
and how many wait for the applicant's supplement (clock stopped).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from . import deadlines, permissions, queries

# How many cases of each list the home page shows (the queue has the rest).
SHOWN = 5


@dataclass
class ReviewerDashboard:
    overdue: list[queries.QueueItem] = field(default_factory=list)
    due_soon: list[queries.QueueItem] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0
    waiting: int = 0  # waiting for a supplement
    open: int = 0  # every open case in scope


def reviewer_dashboard(user: Any, *, today: datetime.date | None = None) -> ReviewerDashboard | None:
    """The pressing part of `user`'s queue, or None for someone who handles no cases."""
    if not permissions.is_case_staff(user):
        return None
    rows = queries.queue_rows(user, today=today)
    overdue = [r for r in rows if r.warning.level == deadlines.RED]
    due_soon = [r for r in rows if r.warning.level == deadlines.YELLOW]
    items = queries.queue_items(overdue[:SHOWN] + due_soon[:SHOWN])
    late = {r.pk for r in overdue}
    return ReviewerDashboard(
        overdue=[i for i in items if i.application.pk in late],
        due_soon=[i for i in items if i.application.pk not in late],
        overdue_count=len(overdue),
        due_soon_count=len(due_soon),
        waiting=sum(1 for r in rows if r.warning.level == deadlines.PAUSED),
        open=len(rows),
    )
