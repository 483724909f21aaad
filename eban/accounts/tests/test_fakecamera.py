"""The fake camera video for browser tests (eban/accounts/tests/fakecamera.py)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from .fakecamera import HEIGHT, WIDTH, frame_size, make_fake_camera_video


def _astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


def test_the_video_is_yuv4mpeg2_640x480_in_420(tmp_path):
    path = make_fake_camera_video(_astronaut(), tmp_path / "camera.y4m")

    header = path.read_bytes().split(b"\n", 1)[0].decode("ascii").split()

    assert header[0] == "YUV4MPEG2"
    assert {"W640", "H480", "C420", "Ip", "F30:1"} <= set(header[1:])


def test_the_file_holds_exactly_the_frames_asked_for(tmp_path):
    path = make_fake_camera_video(_astronaut(), tmp_path / "camera.y4m", frames=3)

    content = path.read_bytes()
    header_length = content.index(b"\n") + 1

    assert len(content) == header_length + 3 * frame_size()
    assert frame_size() == len(b"FRAME\n") + WIDTH * HEIGHT * 3 // 2
    assert content.count(b"FRAME\n") >= 3
    assert content[header_length : header_length + 6] == b"FRAME\n"


def test_the_picture_survives_the_conversion(tmp_path):
    white = Image.new("RGB", (640, 480), (255, 255, 255))
    path = make_fake_camera_video(white, tmp_path / "white.y4m", frames=1)

    content = path.read_bytes()
    start = content.index(b"FRAME\n") + len(b"FRAME\n")
    y = np.frombuffer(content[start : start + WIDTH * HEIGHT], dtype=np.uint8)
    uv = np.frombuffer(content[start + WIDTH * HEIGHT :], dtype=np.uint8)

    assert set(np.unique(y)) == {235}  # white in limited range
    assert set(np.unique(uv)) == {128}  # no colour


def test_an_image_of_another_shape_is_fitted_with_borders(tmp_path):
    tall = Image.new("RGB", (300, 600), (255, 255, 255))
    path = make_fake_camera_video(tall, tmp_path / "tall.y4m", frames=1)

    content = path.read_bytes()
    start = content.index(b"FRAME\n") + len(b"FRAME\n")
    y = np.frombuffer(content[start : start + WIDTH * HEIGHT], dtype=np.uint8).reshape(HEIGHT, WIDTH)

    assert y[240, 0] != 235  # grey border at the side
    assert y[240, 320] == 235  # the picture in the middle, whole
