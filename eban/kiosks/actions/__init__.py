"""Every write of the kiosk network, by topic (as Zulip's zerver/actions/):

- `terminals`: adding and changing terminals;
- `tokens`: issuing, rotating and revoking a terminal's token, making a pairing link;
- `heartbeats`: storing a heartbeat (the hot path), keeping a refusal, pruning the history;
- `alerts`: the silent-terminal sweep (heartbeats open and close the device alerts);
- `usage`: counting a transaction at a terminal.

Views, API handlers, tasks and the heartbeat lane call these and write nothing themselves. A
staff action checks its actor (a kiosk operator whose scope holds the terminal, read from the
database: eban.kiosks.permissions) and records the audit entry; `SYSTEM` is the platform itself
(a management command such as `eban demo`), never a request's user.
"""

from ..permissions import SYSTEM

__all__ = ["SYSTEM"]
