"""1:1 face verification (eban.accounts.identity.face) on photos that packages ship.

scikit-image's `astronaut` (Eileen Collins) and matplotlib's `grace_hopper.jpg` (Grace Hopper) are two
people; "another capture" of Eileen Collins is her photo reframed, rotated, dimmed and recompressed as
a kiosk camera might take it. The models load once for the module (about 2 s); each face costs about
0.1 to 0.3 s.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import translation
from PIL import Image, ImageEnhance

from eban.accounts.identity import face
from eban.core.exceptions import DomainError


def _encode(picture: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def models():
    return face._get_models()


@pytest.fixture(scope="module")
def astronaut(models) -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut())


@pytest.fixture(scope="module")
def astronaut_photo(astronaut) -> bytes:
    return _encode(astronaut, "PNG")


@pytest.fixture(scope="module")
def astronaut_descriptor(astronaut_photo) -> np.ndarray:
    return face.embed(astronaut_photo, single_person=False)


@pytest.fixture(scope="module")
def face_box(astronaut) -> tuple[int, int, int, int]:
    rect = face.find_faces(np.asarray(astronaut))[0]
    return rect.left(), rect.top(), rect.right(), rect.bottom()


@pytest.fixture(scope="module")
def hopper_photo() -> bytes:
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as sample:
        return sample.read()


@pytest.fixture(scope="module")
def capture(astronaut, face_box) -> bytes:
    """Another capture of Eileen Collins: framed 640×480, tilted 6°, in dim light, JPEG quality 70."""
    left, top, right, bottom = face_box
    width = (right - left) / 0.3
    cx, cy = (left + right) / 2, (top + bottom) / 2
    framed = astronaut.crop(
        (int(cx - width / 2), int(cy - width * 3 / 8), int(cx + width / 2), int(cy + width * 3 / 8))
    )
    framed = framed.resize((640, 480), Image.Resampling.LANCZOS).rotate(6, Image.Resampling.BICUBIC)
    return _encode(ImageEnhance.Brightness(framed).enhance(0.6), quality=70)


def _refusal(image: bytes, **options) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as caught:
        face.embed(image, **options)
    return caught.value


# --- same face, different face ---------------------------------------------------------------------


def test_the_same_face_in_another_capture_matches(capture, astronaut_photo):
    match = face.verify(capture, astronaut_photo)

    assert match.matched
    assert match.distance < match.threshold


def test_the_same_face_matches_a_stored_reference_descriptor(capture, astronaut_descriptor):
    assert face.verify(capture, astronaut_descriptor).matched


def test_a_small_id_card_photo_serves_as_reference(capture, astronaut, face_box):
    left, top, right, bottom = face_box
    width = right - left
    head = astronaut.crop(
        (
            int(left - 0.35 * width),
            int(top - 0.45 * width),
            int(right + 0.35 * width),
            int(top + 1.65 * width),
        )
    )
    id_photo = _encode(
        head.resize((102, 126), Image.Resampling.LANCZOS), quality=75
    )  # an ID card chip photo's size

    assert face.verify(capture, id_photo).matched


def test_a_different_face_does_not_match(hopper_photo, astronaut_descriptor):
    match = face.verify(hopper_photo, astronaut_descriptor)

    assert not match.matched
    assert match.distance > 0.6


def test_a_photo_on_record_without_a_face_is_reported_as_unusable(capture):
    from skimage import data

    with translation.override("en"), pytest.raises(DomainError) as caught:
        face.verify(capture, _encode(Image.fromarray(data.coffee()), quality=90))

    assert caught.value.code == "reference_unusable"
    assert "photo on record" in caught.value.message


def test_the_result_carries_neither_image_nor_descriptor(capture, astronaut_descriptor):
    match = face.verify(capture, astronaut_descriptor)

    assert [field.name for field in dataclasses.fields(match)] == ["matched", "distance", "threshold"]


# --- captures as they come -------------------------------------------------------------------------


def test_exif_orientation_is_applied(astronaut, astronaut_descriptor):
    sideways = astronaut.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to display
    upright_when_shown = _encode(sideways, quality=90, exif=exif.tobytes())

    assert face.compare(face.embed(upright_when_shown), astronaut_descriptor) < face.threshold()


def test_a_large_capture_is_scaled_down_before_detection(astronaut, astronaut_descriptor):
    large = _encode(astronaut.resize((2400, 2400), Image.Resampling.BICUBIC), quality=90)

    assert max(face.decode(large).shape[:2]) <= face.WORK_SIDE
    assert face.compare(face.embed(large), astronaut_descriptor) < face.threshold()


def test_a_webp_capture_is_accepted(astronaut, astronaut_descriptor):
    webp = _encode(astronaut, "WEBP", quality=80)

    assert face.compare(face.embed(webp), astronaut_descriptor) < face.threshold()


def test_the_face_like_patch_on_the_suit_is_not_a_second_person(astronaut, astronaut_descriptor):
    dim = _encode(
        ImageEnhance.Brightness(astronaut).enhance(0.5), quality=90
    )  # the patch is detected, faintly

    assert face.compare(face.embed(dim, single_person=True), astronaut_descriptor) < face.threshold()


def test_two_people_of_similar_size_are_refused_for_a_live_capture(astronaut, hopper_photo):
    hopper = Image.open(io.BytesIO(hopper_photo)).convert("RGB").resize((210, 246))  # her face as large
    together = Image.new("RGB", (800, 512), "white")
    together.paste(astronaut, (0, 0))
    together.paste(hopper, (560, 40))
    image = _encode(together, quality=90)

    refusal = _refusal(image, single_person=True)

    assert refusal.code == "face_several"
    assert "Only one person" in refusal.message
    assert face.embed(image, single_person=False).shape == (128,)  # a reference photo: the largest face


# --- refusals ---------------------------------------------------------------------------------------


def test_a_photo_without_a_face_is_refused_with_advice():
    from skimage import data

    refusal = _refusal(_encode(Image.fromarray(data.coffee()), quality=90))

    assert refusal.code == "face_not_found"
    assert refusal.message == "No face was found. Face the camera, in good light, and try again."


def test_bytes_that_are_not_an_image_are_refused():
    refusal = _refusal(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")

    assert refusal.code == "image_unreadable"
    assert "JPEG, PNG or WebP" in refusal.message


def test_an_image_in_another_format_is_refused(astronaut):
    assert _refusal(_encode(astronaut, "GIF")).code == "image_unreadable"


def test_a_truncated_jpeg_is_refused(capture):
    assert _refusal(capture[: len(capture) // 2]).code == "image_unreadable"


def test_a_file_over_8_mb_is_refused_before_decoding():
    refusal = _refusal(b"\xff\xd8" + bytes(face.MAX_BYTES))

    assert refusal.code == "image_too_large"
    assert refusal.message == "The photo is too large: at most 8 MB."


def test_an_image_over_4096_pixels_a_side_is_refused():
    wide = _encode(Image.new("RGB", (face.MAX_SIDE + 1, 8)), "PNG")

    refusal = _refusal(wide)

    assert refusal.code == "image_too_large"
    assert refusal.message == "The photo is too large: at most 4096 pixels on each side."


# --- distance and threshold ------------------------------------------------------------------------


def test_the_distance_between_descriptors_is_euclidean():
    a, b = np.zeros(128), np.zeros(128)
    b[:4] = 0.3

    assert face.compare(a, a) == 0
    assert face.compare(a, b) == pytest.approx(0.6)


def test_a_descriptor_of_the_wrong_shape_is_an_error():
    with pytest.raises(ValueError):
        face.compare(np.zeros(128), np.zeros(64))


def test_the_threshold_comes_from_the_setting(capture, astronaut_descriptor):
    with override_settings(EBAN_FACE_THRESHOLD=0.01):
        match = face.verify(capture, astronaut_descriptor)

    assert match.threshold == 0.01
    assert not match.matched


def test_a_threshold_outside_0_to_1_is_a_configuration_error():
    with override_settings(EBAN_FACE_THRESHOLD=45), pytest.raises(ImproperlyConfigured):
        face.threshold()
