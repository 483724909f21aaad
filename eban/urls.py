from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from eban.api.api import api
from eban.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("kiosk/", include("eban.kiosks.app.urls")),
    path("kiosks/", include("eban.kiosks.finder.urls")),
    path("applications/", include("eban.applications.urls")),
    path("account/messages/", include("eban.notifications.urls")),
    path("account/", include("eban.accounts.account_urls")),
    path("", include("eban.workdays.urls")),
    path("", include("eban.certificates.urls")),
    path("", include("eban.catalogue.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree (the publishing hub) serves whatever no route above took.
urlpatterns += [path("", include(wagtail_urls))]
