import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eban.settings.production")
django_application = get_wsgi_application()

# Terminals' heartbeats (500/s for a province's network) skip the middleware: eban.kiosks.heartbeats.lane.
from eban.kiosks.heartbeats.lane import heartbeat_lane  # noqa: E402 (needs Django set up)

application = heartbeat_lane(django_application)

# Load every view now, then leave what is loaded (it lives as long as the process: ~200,000
# objects) out of the garbage collector's full passes, each of which would otherwise stop a
# worker for ~100 ms now and then — the slowest 1 % of the answers (bench/kiosk_heartbeats.py).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imports the URLconf and the views)
gc.collect()
gc.freeze()
