"""The base of the kiosk network's back-office pages (fleet, coverage, usage): one gate,
eban.core.admin_views.StaffPage, whose permission is eban.kiosks.permissions.may_operate
(kiosk operators and platform administrators). What each official then sees is narrowed by
permissions.terminals_for / divisions_for in the page itself."""

from __future__ import annotations

from eban.core.admin_views import StaffPage

from .permissions import may_operate


class OperatorPage(StaffPage):
    def allowed(self, user) -> bool:
        return may_operate(user)
