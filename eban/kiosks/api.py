"""The kiosk network's API at /api/v1/kiosks/: finding terminals (public) and heartbeats
(each terminal with its own token). The handlers live beside their logic."""

from ninja import Router

from .finder.api import router as nearest_router
from .heartbeats.api import router as heartbeat_router

router = Router(tags=["kiosks"])
router.add_router("", nearest_router)
router.add_router("", heartbeat_router)
