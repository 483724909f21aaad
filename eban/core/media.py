"""What /media/ serves: Wagtail's image renditions, nothing else.

Everything else under MEDIA_ROOT is private and is served only by views that check who asks:
certificates' signed PDFs (`certificates.views.download_response`, the kiosk's certificate view),
uploaded materials (`applications.admin_views.download_material`, audited), and citizens'
reference photos (never served). Wagtail documents go through Wagtail's own view (/documents/),
which applies their collection's privacy. Renditions (`images/…`) are the public site's pictures:
Wagtail has no privacy for images. This holds with DEBUG on as off (no `static(MEDIA_URL)`).
"""

from __future__ import annotations

import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

RENDITIONS = "images/"
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


def rendition(request, name: str) -> FileResponse:
    """GET /media/images/<name>: one rendition from the default storage, as an image."""
    path = posixpath.normpath(RENDITIONS + name)
    content_type = IMAGE_TYPES.get(posixpath.splitext(path)[1].lower())
    if not path.startswith(RENDITIONS) or content_type is None or not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
