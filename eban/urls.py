from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from eban.api.api import api
from eban.core import media
from eban.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for it on every first visit (eban's mark, eban/static/img/): not a 404 each time.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("img/favicon.ico"), permanent=True)),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # /media/ serves Wagtail's image renditions only, with DEBUG on as off; every other stored file
    # is private and served by a view that checks who asks (eban/core/media.py).
    path("media/images/<path:name>", media.rendition, name="media_rendition"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("kiosk/", include("eban.kiosks.app.urls")),
    path("kiosks/", include("eban.kiosks.finder.urls")),
    path("applications/", include("eban.applications.urls")),
    path("account/messages/", include("eban.notifications.urls")),
    path("account/", include("eban.accounts.urls")),
    path("", include("eban.workdays.urls")),
    path("", include("eban.certificates.urls")),
    path("", include("eban.catalogue.urls")),
]

# Wagtail's page tree (the publishing hub) serves whatever no route above took.
urlpatterns += [path("", include(wagtail_urls))]
