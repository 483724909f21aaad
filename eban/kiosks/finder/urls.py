"""The public finder at /kiosks/: the nearest self-service terminals, on a phone."""

from django.urls import path

from . import views as finder_views

app_name = "kiosks"

urlpatterns = [
    path("", finder_views.find, name="find"),
    path("<str:code>/", finder_views.detail, name="detail"),
]
