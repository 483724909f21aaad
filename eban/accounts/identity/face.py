"""1:1 face verification, fully offline: dlib's HOG face detector, its 5-point landmarks and its ResNet
face descriptor (the models shipped by the `face_recognition_models` package).

`verify(live, reference)` answers whether a live capture shows the same person as the reference photo
(the photo on record). Each image is decoded (JPEG, PNG or WebP; EXIF orientation applied), scaled
down to at most `WORK_SIDE` pixels, its faces found, and the chosen face turned into a 128-number
descriptor; two descriptors of the same person lie close together (Euclidean distance), those of two
people far apart. The threshold on that distance is the setting `EBAN_FACE_THRESHOLD`; how it was
chosen, with the measured false-match and false-non-match rates, is in docs/identity.md.

Nothing is stored here: the image bytes, the decoded pixels and the descriptors live only in local
variables of the call and are gone when it returns. The caller must not keep the live capture
either (no file, no log, no cache, no session): only the outcome (matched, distance) may be kept.

The models (about 30 MB in memory) are loaded once per process, on first use, under a lock. dlib's
network keeps per-call state, so the calls into dlib are serialised by a lock too: one verification
at a time per process (about a quarter of a second of CPU each).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from eban.core.exceptions import DomainError

MAX_BYTES = 8 * 1024 * 1024  # a larger upload is refused before it is decoded
MAX_SIDE = 4096  # pixels, either side: a larger image is refused
WORK_SIDE = 800  # images are scaled down so that neither side exceeds this before detection
FORMATS = ("JPEG", "PNG", "WEBP")
# A second face at least this fraction of the largest face's area means two people in front of the
# camera (a face on a badge, a poster or someone far behind is much smaller and is ignored).
SECOND_FACE_RATIO = 0.5
# The detector's score of a clear face; real faces in the measured photos score 0.58 to 3, while the
# face-like patch on the astronaut's suit (scikit-image) scores at most 0.12.
CLEAR_FACE_SCORE = 0.3
DEFAULT_THRESHOLD = 0.45  # see docs/identity.md; dlib's own default is 0.6


@dataclass(frozen=True)
class FaceMatch:
    matched: bool
    distance: float
    threshold: float


class _Models:
    def __init__(self) -> None:
        import dlib
        import face_recognition_models as models

        self.detector = dlib.get_frontal_face_detector()
        self.landmarks = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self.descriptor = dlib.face_recognition_model_v1(models.face_recognition_model_location())


_models: _Models | None = None
_load_lock = threading.Lock()
_use_lock = threading.Lock()


def _get_models() -> _Models:
    global _models
    if _models is None:
        with _load_lock:
            if _models is None:
                _models = _Models()
    return _models


def threshold() -> float:
    """The distance at or below which two faces are taken for the same person."""
    value = float(settings.EBAN_FACE_THRESHOLD)
    if not 0 < value < 1:  # e.g. "45" for 0.45 would let every face through
        raise ImproperlyConfigured(f"EBAN_FACE_THRESHOLD must lie between 0 and 1, not {value}")
    return value


def _too_large_in_pixels() -> DomainError:
    return DomainError(
        _("The photo is too large: at most %(px)d pixels on each side.") % {"px": MAX_SIDE},
        code="image_too_large",
    )


def decode(image: bytes) -> np.ndarray:
    """The image as an RGB array (height × width × 3, uint8), upright, at most WORK_SIDE a side."""
    if not isinstance(image, bytes | bytearray | memoryview):
        raise TypeError("image must be bytes")
    if len(image) > MAX_BYTES:
        raise DomainError(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            code="image_too_large",
        )
    try:
        picture = Image.open(io.BytesIO(image), formats=FORMATS)
        width, height = picture.size
        if width > MAX_SIDE or height > MAX_SIDE:
            raise _too_large_in_pixels()
        if max(width, height) > WORK_SIDE and picture.format == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale directly: much faster for big captures.
            scale = WORK_SIDE / max(width, height)
            picture.draft("RGB", (int(width * scale), int(height * scale)))
        picture.load()
        picture = ImageOps.exif_transpose(picture)
        picture = picture.convert("RGB")
    except Image.DecompressionBombError as exc:  # declares far more pixels than MAX_SIDE² (Pillow's guard)
        raise _too_large_in_pixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DomainError(
            _("This file is not a photo that can be read. Send a JPEG, PNG or WebP picture."),
            code="image_unreadable",
        ) from exc
    if max(picture.size) > WORK_SIDE:
        picture.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
    return np.array(picture, dtype=np.uint8)


def _detect(detector, pixels: np.ndarray, upsample: int) -> list:
    rects, scores, _ = detector.run(pixels, upsample, 0.0)
    found = list(zip(rects, scores, strict=True))
    if any(score >= CLEAR_FACE_SCORE for _, score in found):
        found = [(rect, score) for rect, score in found if score >= CLEAR_FACE_SCORE]
    return [rect for rect, _ in found]


def find_faces(pixels: np.ndarray) -> list:
    """The faces found (dlib rectangles), largest first.

    The image is searched as it is (faces from about 80 pixels wide); when nothing is found, once more
    at twice the size (faces from about 40 pixels, as in a small ID photo). When some faces are found
    clearly, the faint ones (a drawing on a badge, a pattern) are left out.
    """
    models = _get_models()
    with _use_lock:
        faces = _detect(models.detector, pixels, 0)
        if not faces:
            faces = _detect(models.detector, pixels, 1)
    return sorted(faces, key=lambda rect: rect.area(), reverse=True)


def describe(pixels: np.ndarray, face) -> np.ndarray:
    """The 128-number descriptor of one face (a dlib rectangle) in the image."""
    models = _get_models()
    with _use_lock:
        shape = models.landmarks(pixels, face)
        descriptor = models.descriptor.compute_face_descriptor(pixels, shape, 1)
    return np.asarray(descriptor, dtype=np.float64)


def landmarks(pixels: np.ndarray, face) -> np.ndarray:
    """dlib's five landmarks of one face, as a 5×2 array of (x, y): two corners of each eye, then
    the bottom of the nose."""
    models = _get_models()
    with _use_lock:
        shape = models.landmarks(pixels, face)
    return np.array([[shape.part(i).x, shape.part(i).y] for i in range(5)], dtype=np.float64)


def single_face(pixels: np.ndarray, *, single_person: bool = True):
    """The face in a live capture (the largest); DomainError when none, or two people."""
    faces = find_faces(pixels)
    if not faces:
        raise DomainError(
            _("No face was found. Face the camera, in good light, and try again."), code="face_not_found"
        )
    if single_person and len(faces) > 1 and faces[1].area() >= SECOND_FACE_RATIO * faces[0].area():
        raise DomainError(
            _("More than one face was found. Only one person may be in front of the camera."),
            code="face_several",
        )
    return faces[0]


def embed(image: bytes, *, single_person: bool = True) -> np.ndarray:
    """The descriptor of the face in `image` (the largest one).

    With `single_person` (a live capture) an image with two faces of similar size is refused: only one
    person may stand in front of the camera. A reference photo may pass `single_person=False`.
    """
    pixels = decode(image)
    return describe(pixels, single_face(pixels, single_person=single_person))


def compare(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """The Euclidean distance between two descriptors: 0 for the same, about 0.6 and more for strangers."""
    first, second = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if first.shape != (128,) or second.shape != (128,):
        raise ValueError("face descriptors have 128 numbers")
    return float(np.linalg.norm(first - second))


def verify(
    live: bytes, reference: bytes | np.ndarray | Sequence[float], *, limit: float | None = None
) -> FaceMatch:
    """Whether the live capture shows the person of the reference (a photo, or its stored descriptor)."""
    return verify_descriptor(embed(live, single_person=True), reference, limit=limit)


def verify_descriptor(
    live_descriptor: np.ndarray,
    reference: bytes | np.ndarray | Sequence[float],
    *,
    limit: float | None = None,
) -> FaceMatch:
    """As `verify`, for a live face already described (the liveness step's frontal frame)."""
    limit = threshold() if limit is None else limit
    if isinstance(reference, bytes | bytearray | memoryview):
        try:
            reference = embed(bytes(reference), single_person=False)
        except DomainError as exc:  # the fault is the record's, not the person's in front of the camera
            raise DomainError(
                _(
                    "The photo on record cannot be used for a face check. Please sign in with your ID "
                    "card or ask at the service window."
                ),
                code="reference_unusable",
            ) from exc
    distance = compare(live_descriptor, reference)
    return FaceMatch(matched=distance <= limit, distance=distance, threshold=limit)
