"""Face verification on a 640×480 capture (eban.accounts.identity.face): target median < 400 ms end to end.

The capture is made from scikit-image's `astronaut` photo (Eileen Collins, NASA): framed to 640×480
with her face about 190 pixels wide, as a kiosk camera would take it, and JPEG-encoded at quality 90
(what a browser's canvas gives). The reference is the descriptor of the original photo, computed once,
as a stored reference would be. Timed, each `RUNS` times after one warm-up call, in one process:

- end to end: decode the JPEG, find the face, landmarks and descriptor, compare (`face.verify`);
- the same against the reference photo itself (two images decoded and described);
- each step alone: decoding, detection, and the dlib embedding (5-point landmarks + descriptor);
- and once, loading the models (the first call in a process).

Ceiling (bench/ceilings.py), alternating with each end-to-end call: the same capture through
dlib's models called directly (Pillow decode, one detection pass, landmarks, descriptor,
distance), without eban's checks (sizes, a second pass, faint faces, a second face, locks).
"""

from __future__ import annotations

import io
import os
import sys
import time

from PIL import Image

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eban.settings.test")  # settings only: no django.setup()

from eban.accounts.identity import face  # noqa: E402

from .ceilings import bare_dlib, beside, interleaved  # noqa: E402
from .common import median, percentile, result, time_calls  # noqa: E402
from .face_tradeoff import _encode, _face_box, _frame  # noqa: E402

RUNS = 30
TARGET_MS = 400
BARE = "dlib's models called directly on the same capture (Pillow decode, detect, landmarks, descriptor)"


def capture_and_reference() -> tuple[bytes, bytes]:
    """A 640×480 JPEG capture of the astronaut, and her original photo (PNG)."""
    from skimage import data

    photo = Image.fromarray(data.astronaut())
    capture = _frame(photo, _face_box(photo), 0.3, (640, 480))
    buffer = io.BytesIO()
    capture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue(), _encode(photo, "PNG")


def run(quick: bool = False) -> list[dict]:
    runs = 10 if quick else RUNS
    start = time.perf_counter()
    face._get_models()
    load_ms = (time.perf_counter() - start) * 1000

    capture, reference_photo = capture_and_reference()
    reference = face.embed(reference_photo, single_person=False)
    outcome = face.verify(capture, reference)
    if not outcome.matched:
        raise RuntimeError(f"the capture did not match its own photo (distance {outcome.distance:.3f})")
    pixels = face.decode(capture)
    rect = face.find_faces(pixels)[0]

    models = face._get_models()
    end_to_end, bare = interleaved(
        lambda: face.verify(capture, reference), lambda: bare_dlib(capture, reference, models), runs
    )
    timed = {
        "end to end": end_to_end,
        "against the reference photo": time_calls(lambda: face.verify(capture, reference_photo), runs),
        "decoding": time_calls(lambda: face.decode(capture), runs),
        "detection": time_calls(lambda: face.find_faces(pixels), runs),
        "embedding": time_calls(lambda: face.describe(pixels, rect), runs),
    }
    label = "face verification, 640×480 capture"
    p50 = median(end_to_end)
    rows = [
        beside(
            result(f"{label}: end to end, median", p50, "ms", f"< {TARGET_MS}", p50 < TARGET_MS),
            median(bare),
            BARE,
        ),
        beside(
            result(f"{label}: end to end, p95", percentile(end_to_end, 95), "ms", "", None),
            percentile(bare, 95),
            BARE,
        ),  # fmt: skip
        result(
            f"{label}: against the reference photo (2 images), median",
            median(timed["against the reference photo"]),
            "ms",
            "",
            None,
        ),
        result(f"{label}: decoding the JPEG alone, median", median(timed["decoding"]), "ms", "", None),
        result(f"{label}: face detection alone, median", median(timed["detection"]), "ms", "", None),
        result(f"{label}: detection alone, p95", percentile(timed["detection"], 95), "ms", "", None),
        result(
            f"{label}: dlib embedding alone (landmarks + descriptor), median",
            median(timed["embedding"]),
            "ms",
            "",
            None,
        ),
        result(f"{label}: embedding alone, p95", percentile(timed["embedding"], 95), "ms", "", None),
        result("face models loading (once per process)", load_ms, "ms", "", None),
        result(f"{label}: distance to its own photo", outcome.distance, "", f"≤ {outcome.threshold}", True),
    ]
    return rows


if __name__ == "__main__":  # python -m bench.face [--quick]
    import json

    for row in run(quick="--quick" in sys.argv):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
