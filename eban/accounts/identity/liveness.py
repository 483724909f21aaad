"""The liveness step of the kiosk's face sign-in: a random challenge, checked on several frames.

The server draws a challenge (turn the head to the left, or to the right) when the camera page is
shown; the page captures a few frames while the person looks at the camera and then follows the
prompt, and sends them together. `check` finds one face per frame and dlib's five landmarks
(eye corners and the bottom of the nose); the head's turn (yaw) is read as how far the nose lies
from the middle of the eyes along the eye line, in eye-widths. A real head turning moves the nose
across; a flat picture held up to the camera, moved, tilted or turned in the plane keeps it where
it was (measured on the sample face: 0.02 frontal; a synthetic turn of the nose region: 0.26).

It passes when some frame looks straight (|yaw| ≤ FRONTAL), some frame is turned the asked way
(≥ TURNED), none is turned the other way, and the straight and the turned frames show the same
person (descriptor distance ≤ SAME_PERSON). The straight frame is then the one compared with the
photo on record. What this does and does not stop is in docs/adr/0008-offline-face-verification.md.
Nothing here is kept: frames, pixels and descriptors are local variables of the call.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eban.core.exceptions import DomainError

from ..identity import face

# The person's own left and right. In the camera's picture (not mirrored) the person's left is on
# the right, so a turn to their left moves the nose towards larger x: a positive yaw.
CHALLENGES = {"left": 1, "right": -1}
PROMPTS = {
    "left": gettext_lazy("Now turn your head slowly to your left, then back."),
    "right": gettext_lazy("Now turn your head slowly to your right, then back."),
}
MIN_FRAMES, MAX_FRAMES = 3, 10
FRONTAL = 0.12  # |yaw| of a frame that looks straight at the camera
TURNED = 0.2  # yaw of a frame turned as asked (about 20 degrees)
SAME_PERSON = 0.6  # dlib's own same-person distance, between frames of one attempt


class LivenessFailed(DomainError):
    code = "liveness"


@dataclass(frozen=True)
class Passed:
    frontal_descriptor: np.ndarray
    frontal_image: bytes  # the straight frame, for a real-person service that needs an image


def draw_challenge() -> str:
    return secrets.choice(sorted(CHALLENGES))


def yaw(points: np.ndarray) -> float:
    """How far the head is turned, from dlib's five landmarks: the nose's offset from the middle
    of the eyes along the eye line, in eye-widths (0 looking straight; + towards image right)."""
    first, second = points[0:2].mean(axis=0), points[2:4].mean(axis=0)
    left, right = (first, second) if first[0] <= second[0] else (second, first)
    line = right - left
    width = float(np.linalg.norm(line))
    if width < 1:
        return 0.0
    return float(np.dot(points[4] - (left + right) / 2, line / width) / width)


def _failed(code: str) -> LivenessFailed:
    message = _(
        "The check did not see you follow the prompt. Please try again: look at the camera, then "
        "turn your head as asked. Or sign in with your ID card, or ask at the service window."
    )
    error = LivenessFailed(message)
    error.reason = code
    return error


def check(frames: Sequence[bytes], challenge: str) -> Passed:
    """Whether the frames show one live person following `challenge`; LivenessFailed if not."""
    if challenge not in CHALLENGES:
        raise _failed("no_challenge")
    if not MIN_FRAMES <= len(frames) <= MAX_FRAMES:
        raise _failed("frames")
    distinct = list(dict.fromkeys(frames))
    if len(distinct) < MIN_FRAMES:
        raise _failed("repeated_frames")  # the same picture sent again is not a moving person
    sign = CHALLENGES[challenge]
    seen = []
    missed: DomainError | None = None
    for image in distinct:
        pixels = face.decode(image)
        try:
            found = face.single_face(pixels)
        except DomainError as exc:  # a blurred or empty frame mid-turn is skipped; two people are not
            if exc.code != "face_not_found":
                raise
            missed = exc
            continue
        seen.append((sign * yaw(face.landmarks(pixels, found)), pixels, found, image))
    if len(seen) < MIN_FRAMES:
        raise missed or _failed("frames")
    straight = min(seen, key=lambda item: abs(item[0]))
    turned = max(seen, key=lambda item: item[0])
    if abs(straight[0]) > FRONTAL:
        raise _failed("not_straight")
    if turned[0] < TURNED:
        raise _failed("not_turned")
    if min(item[0] for item in seen) <= -TURNED:
        raise _failed("wrong_way")
    straight_descriptor = face.describe(straight[1], straight[2])
    if face.compare(straight_descriptor, face.describe(turned[1], turned[2])) > SAME_PERSON:
        raise _failed("not_same_person")
    return Passed(frontal_descriptor=straight_descriptor, frontal_image=straight[3])
