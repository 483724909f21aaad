"""The kiosk network's API at /api/v1/kiosks/: finding terminals (public) and heartbeats
(each terminal with its own token). The handlers live beside their logic."""

from ninja import Router

from .api_heartbeat import router as heartbeat_router
from .api_nearest import router as nearest_router

router = Router(tags=["kiosks"])
router.add_router("", nearest_router)
router.add_router("", heartbeat_router)
