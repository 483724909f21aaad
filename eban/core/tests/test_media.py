"""/media/ is closed, with DEBUG on as off: certificates' PDFs, uploaded materials and reference
photos are served only by views that check who asks. Only Wagtail's image renditions (public site
images, which Wagtail has no privacy for) are served from there."""

from __future__ import annotations

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches

import eban.urls

PRIVATE = [
    "certificates/2026/LNYD-20261208-000001-EMK2.pdf",
    "applications/2026/12/ab12.pdf",
    "accounts/photos/p.jpg",
]


@pytest.fixture
def debug_urls(settings, tmp_path):
    """The URLconf as `eban demo` builds it (DEBUG on), with files on disk under MEDIA_ROOT."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    for name in PRIVATE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF-1.7 private")
    importlib.reload(eban.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(eban.urls)
    clear_url_caches()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PRIVATE)
def test_private_files_are_not_served_from_media_under_debug(client, debug_urls, name):
    response = client.get(f"/media/{name}")
    assert response.status_code == 404
    assert b"private" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", PRIVATE)
def test_private_files_are_not_served_from_media_in_production(client, name):
    default_storage.save(name, ContentFile(b"%PDF-1.7 private"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_wagtail_rendition_is_served_as_an_image(client):
    name = default_storage.save("images/photo.width-800.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 16))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/media/images/../certificates/2026/x.pdf",
        "/media/images/%2e%2e/certificates/2026/x.pdf",
        "/media/images/page.html",
        "/media/images/missing.png",
    ],
)
def test_only_existing_images_are_served_from_the_renditions_folder(client, path):
    default_storage.save("certificates/2026/x.pdf", ContentFile(b"%PDF-1.7 private"))
    default_storage.save("images/page.html", ContentFile(b"<html><script>alert(1)</script>"))
    assert client.get(path).status_code == 404
