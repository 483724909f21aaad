"""A fake camera for browser tests: a still image, or a head that turns, as a YUV4MPEG2 video.

Chromium plays such a file as its camera with
`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=/path/to/file.y4m` (looping it),
so a kiosk page's face capture can be driven with a known face.

The kiosk's liveness step asks the person to turn their head (eban.accounts.identity.liveness). A photo
cannot turn, so `turned_face` imitates what a turn does to the landmarks the check reads: it
slides the middle of the face (nose and mouth) sideways with a smooth warp while the eyes stay
nearly put. It is a test fixture made from one sample photo — an honest stand-in for a person
following the prompt, not a way to beat the check (a real deployment's frames come from a paired
terminal's own camera).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

WIDTH, HEIGHT = 640, 480
BACKGROUND = (128, 128, 128)


def y4m_header(width: int = WIDTH, height: int = HEIGHT, fps: int = 30) -> bytes:
    """The stream header: progressive, square pixels, 4:2:0 chroma."""
    return f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420\n".encode("ascii")


def frame_size(width: int = WIDTH, height: int = HEIGHT) -> int:
    """Bytes of one frame: its `FRAME` line, then Y, U and V planes (chroma at half size each way)."""
    return len(b"FRAME\n") + width * height + 2 * (width // 2) * (height // 2)


def _picture(image: bytes | str | Path | Image.Image | np.ndarray) -> Image.Image:
    if isinstance(image, Image.Image):
        picture = image
    elif isinstance(image, np.ndarray):
        picture = Image.fromarray(image)
    elif isinstance(image, bytes | bytearray):
        picture = Image.open(io.BytesIO(image))
    else:
        picture = Image.open(image)
    return ImageOps.exif_transpose(picture).convert("RGB")


def to_i420(picture: Image.Image) -> bytes:
    """The Y, U and V planes of an RGB picture (BT.601, limited range, as cameras send them)."""
    rgb = np.asarray(picture, dtype=np.float64)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b

    def half(plane: np.ndarray) -> np.ndarray:  # the mean of each 2×2 block
        return (plane[0::2, 0::2] + plane[1::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 1::2]) / 4

    planes = (y, half(u), half(v))
    return b"".join(np.clip(np.rint(plane), 0, 255).astype(np.uint8).tobytes() for plane in planes)


def make_fake_camera_video(
    image: bytes | str | Path | Image.Image | np.ndarray,
    path: str | Path,
    *,
    frames: int = 5,
    fps: int = 30,
) -> Path:
    """Write `image`, fitted into 640×480 (grey borders, nothing cut off), as `frames` Y4M frames."""
    picture = ImageOps.pad(_picture(image), (WIDTH, HEIGHT), Image.Resampling.LANCZOS, color=BACKGROUND)
    planes = to_i420(picture)
    path = Path(path)
    with path.open("wb") as video:
        video.write(y4m_header(WIDTH, HEIGHT, fps))
        for _ in range(frames):
            video.write(b"FRAME\n")
            video.write(planes)
    return path


def turned_face(image, *, towards: str = "left", amount: float = 0.3) -> Image.Image:
    """The picture with its face's middle slid sideways, as a head turned to the person's
    `towards` ("left": the nose moves to the image's right, as the camera sees it)."""
    from eban.accounts.identity import face

    picture = _picture(image)
    pixels = np.asarray(picture)
    found = face.find_faces(pixels)
    if not found:
        raise ValueError("no face in the picture")
    rect = found[0]
    cx, cy, width = (rect.left() + rect.right()) / 2, (rect.top() + rect.bottom()) / 2, rect.width()
    ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]].astype(np.float64)
    bump = np.exp(-(((xs - cx) / (0.35 * width)) ** 2 + ((ys - cy - 0.15 * width) / (0.45 * width)) ** 2))
    shift = (1 if towards == "left" else -1) * amount * width * bump
    source_x = np.clip(xs - shift, 0, pixels.shape[1] - 1).astype(int)
    return Image.fromarray(pixels[ys.astype(int), source_x])


def make_turning_video(image, path: str | Path, *, towards: str = "left", fps: int = 10) -> Path:
    """A looping video: 1.5 s looking straight, 1.5 s turned to `towards`, for the liveness step."""
    straight = ImageOps.pad(_picture(image), (WIDTH, HEIGHT), Image.Resampling.LANCZOS, color=BACKGROUND)
    turned = turned_face(straight, towards=towards)
    # A little noise makes each frame differ, as a real camera's sensor does (the check refuses
    # the same picture sent several times).
    noise = np.random.default_rng(7)

    def noisy(picture: Image.Image) -> bytes:
        pixels = np.asarray(picture, dtype=np.int16) + noise.integers(-2, 3, (HEIGHT, WIDTH, 1))
        return to_i420(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))

    frames = [noisy(straight) for _ in range(int(1.5 * fps))] + [noisy(turned) for _ in range(int(1.5 * fps))]
    path = Path(path)
    with path.open("wb") as video:
        video.write(y4m_header(WIDTH, HEIGHT, fps))
        for planes in frames:
            video.write(b"FRAME\n")
            video.write(planes)
    return path
