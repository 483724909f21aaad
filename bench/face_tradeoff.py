"""False matches and false non-matches of the face check (eban.accounts.identity.face) against the threshold.

Every pair of face descriptors that can be built offline from photos that packages ship is compared:

- installed with eban's test extra: scikit-image's `astronaut` (Eileen Collins, NASA) and matplotlib's
  `grace_hopper.jpg` (US Navy);
- fetched once from the package registries by their own clients and read from the archives, kept in
  `var/face-corpus/` (skipped, and said so, when a registry cannot be reached):
  face_recognition 1.3.0's source archive (`tests/test_images`: three different photos of Barack Obama,
  one of Joe Biden), insightface 2.1's wheel (`data/images`: Tom Hanks; a group photo of five more
  people) and @vladmandic/face-api 1.7.15's npm package (`demo/sample1-6.jpg`: group photos of 19
  women).

Genuine pairs (same person): the different photos of one person where a package has them (Obama), and
for every person "derived captures" of their photo: realistic transformations of it (a 640×480
capture framing, half size, tight crop, rotations, dim and bright light, low contrast, heavy JPEG
compression, mirror image, blur, sensor noise), compared with the photo and with each other. That
measures robustness to capture conditions, not to ageing, make-up, glasses or pose: most genuine
pairs come from one photo. Impostor pairs (different people): every two people, except people in two
different photos of the face-api package, who are not labelled and might be the same person.

`run()` returns rows (false-match and false-non-match rates at each threshold, the extremes of the
distances, the counts); `python -m bench.face_tradeoff` also prints the table. Tiny data: see
docs/identity.md for what it does and does not show.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eban.settings.test")  # settings only: no django.setup()

from eban.accounts.identity import face  # noqa: E402

from .common import ROOT, result  # noqa: E402

CACHE = ROOT / "var" / "face-corpus"
THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(9)]  # 0.30 … 0.70
CHOSEN = face.DEFAULT_THRESHOLD

FACE_RECOGNITION_SDIST = ("face-recognition==1.3.0", "face_recognition-1.3.0.tar.gz")
INSIGHTFACE_WHEEL = ("insightface==2.1", "insightface-2.1-py3-none-any.whl")
FACE_API_NPM = ("@vladmandic/face-api@1.7.15", "vladmandic-face-api-1.7.15.tgz")


@dataclass
class Person:
    name: str
    source: str
    photos: list[tuple[str, bytes]]  # (label, encoded image): different photos of this person
    group: str = ""  # people of one unlabelled group in different photos may be the same person
    photo: str = ""
    descriptors: list[tuple[str, np.ndarray]] = field(default_factory=list)  # (label, descriptor)
    distinct: set[str] = field(default_factory=set)  # labels of descriptors from different photos


# --- the photos ----------------------------------------------------------------------------------


def _encode(picture: Image.Image, fmt: str = "JPEG", quality: int = 95) -> bytes:
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, fmt, quality=quality)
    return buffer.getvalue()


def _fetch(command: list[str], archive: str) -> Path | None:
    """The archive in the cache, fetched with a package client when missing (None when that fails)."""
    path = CACHE / archive
    if path.exists():
        return path
    if shutil.which(command[0]) is None and command[0] != sys.executable:
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(command, cwd=CACHE, capture_output=True, timeout=600, check=True)
    except (subprocess.SubprocessError, OSError):
        return None
    return path if path.exists() else None


def _pip(requirement: str, archive: str, binary: bool) -> Path | None:
    kind = ["--only-binary", ":all:"] if binary else ["--no-binary", ":all:"]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *kind, "-d", ".", requirement]
    return _fetch(command, archive)


def _members(path: Path, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    """The files of an archive (wheel, sdist or npm tarball) whose names end with `suffixes`."""
    found = {}
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(suffixes):
                    found[name] = archive.read(name)
    else:
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                if member.isfile() and member.name.endswith(suffixes):
                    found[member.name] = archive.extractfile(member).read()
    return found


def _group_faces(image: bytes, source: str, photo: str, group: str) -> list[Person]:
    """One person per face found in a group photo, each cropped out with a margin (the face's photo)."""
    picture = ImageOps.exif_transpose(Image.open(io.BytesIO(image))).convert("RGB")
    pixels = face.decode(image)
    scale = picture.width / pixels.shape[1]
    people = []
    for number, rect in enumerate(face.find_faces(pixels), start=1):
        left, top, right, bottom = (v * scale for v in (rect.left(), rect.top(), rect.right(), rect.bottom()))
        margin = 0.6 * (right - left)
        box = (
            max(0, int(left - margin)),
            max(0, int(top - margin)),
            min(picture.width, int(right + margin)),
            min(picture.height, int(bottom + margin)),
        )
        crop = _encode(picture.crop(box))
        name = f"{photo} face {number}"
        people.append(Person(name, source, [("photo", crop)], group=group, photo=photo))
    return people


def installed_people() -> list[Person]:
    """The people whose photos come with eban's test extra (scikit-image, matplotlib)."""
    from matplotlib import cbook
    from skimage import data

    people = [
        Person(
            "Eileen Collins",
            "scikit-image astronaut",
            [("photo", _encode(Image.fromarray(data.astronaut()), "PNG"))],
        )
    ]
    with cbook.get_sample_data("grace_hopper.jpg") as sample:
        people.append(Person("Grace Hopper", "matplotlib grace_hopper.jpg", [("photo", sample.read())]))
    return people


def registry_people() -> tuple[list[Person], list[str]]:
    """The people from the registry packages, and the names of the packages that could not be had."""
    people: list[Person] = []
    missing: list[str] = []

    sdist = _pip(*FACE_RECOGNITION_SDIST, binary=False)
    if sdist:
        files = _members(sdist, (".jpg",))
        by_name = {Path(name).name: content for name, content in files.items()}
        source = "face_recognition 1.3.0 tests/test_images"
        people.append(
            Person(
                "Barack Obama",
                source,
                [(name, by_name[name]) for name in ("obama.jpg", "obama2.jpg", "obama3.jpg")],
            )
        )
        people.append(Person("Joe Biden", source, [("biden.jpg", by_name["biden.jpg"])]))
    else:
        missing.append(FACE_RECOGNITION_SDIST[0])

    wheel = _pip(*INSIGHTFACE_WHEEL, binary=True)
    if wheel:
        files = {Path(name).name: content for name, content in _members(wheel, (".jpg", ".png")).items()}
        source = "insightface 2.1 data/images"
        people.append(Person("Tom Hanks", source, [("Tom_Hanks_54745.png", files["Tom_Hanks_54745.png"])]))
        people += _group_faces(files["t1.jpg"], source, "t1.jpg", group="")
    else:
        missing.append(INSIGHTFACE_WHEEL[0])

    tarball = _fetch(["npm", "pack", "--silent", FACE_API_NPM[0]], FACE_API_NPM[1])
    if tarball:
        files = _members(tarball, (".jpg",))
        source = "@vladmandic/face-api 1.7.15 demo"
        for name in sorted(files):
            if Path(name).name.startswith("sample"):
                people += _group_faces(files[name], source, Path(name).name, group="face-api")
    else:
        missing.append(FACE_API_NPM[0])
    return people, missing


# --- derived captures ------------------------------------------------------------------------------


def _face_box(picture: Image.Image) -> tuple[float, float, float, float]:
    pixels = face.decode(_encode(picture, "PNG"))
    rect = face.find_faces(pixels)[0]
    scale = picture.width / pixels.shape[1]
    return tuple(v * scale for v in (rect.left(), rect.top(), rect.right(), rect.bottom()))


def _frame(picture: Image.Image, box, face_share: float, size: tuple[int, int] | None) -> Image.Image:
    """A crop centred on the face where the face is `face_share` of the width (4:3), resized to `size`."""
    left, top, right, bottom = box
    width = (right - left) / face_share
    height = width * 3 / 4
    cx, cy = (left + right) / 2, (top + bottom) / 2
    crop = picture.crop(
        (int(cx - width / 2), int(cy - height / 2), int(cx + width / 2), int(cy + height / 2))
    )
    return crop.resize(size, Image.Resampling.LANCZOS) if size else crop


def _noise(picture: Image.Image, sigma: float) -> Image.Image:
    pixels = np.asarray(picture, dtype=np.float64)
    noisy = pixels + np.random.default_rng(7).normal(0, sigma, pixels.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def derived_captures(photo: bytes, quick: bool = False) -> list[tuple[str, bytes]]:
    """Realistic variations of a photo as a camera could take them: (name, encoded image)."""
    picture = ImageOps.exif_transpose(Image.open(io.BytesIO(photo))).convert("RGB")
    box = _face_box(picture)
    face_width = box[2] - box[0]
    grey = (128, 128, 128)
    variants = [
        ("640×480 capture", lambda p: _frame(p, box, 0.3, (640, 480))),
        ("half size", lambda p: p.resize((p.width // 2, p.height // 2), Image.Resampling.LANCZOS)),
        ("dim light", lambda p: ImageEnhance.Brightness(p).enhance(0.5)),
        ("JPEG quality 20", lambda p: Image.open(io.BytesIO(_encode(p, quality=20)))),
        ("rotated 8°", lambda p: p.rotate(8, Image.Resampling.BICUBIC, fillcolor=grey)),
        ("tight crop", lambda p: _frame(p, box, 0.6, None)),
        ("rotated -12°", lambda p: p.rotate(-12, Image.Resampling.BICUBIC, fillcolor=grey)),
        ("bright light", lambda p: ImageEnhance.Brightness(p).enhance(1.5)),
        ("low contrast", lambda p: ImageEnhance.Contrast(p).enhance(0.5)),
        ("mirror image", ImageOps.mirror),
        ("blurred", lambda p: p.filter(ImageFilter.GaussianBlur(max(1.0, face_width / 80)))),
        ("sensor noise", lambda p: _noise(p, 12)),
    ]
    if quick:
        variants = variants[:4]
    return [(name, _encode(make(picture), quality=90)) for name, make in variants]


# --- the measurement -------------------------------------------------------------------------------


def describe_people(people: list[Person], quick: bool = False) -> dict[str, int]:
    """Fill each person's descriptors: their photos and the derived captures of their first photo."""
    attempts = failures = 0
    for person in people:
        images = list(person.photos) + derived_captures(person.photos[0][1], quick)
        for label, image in images:
            attempts += 1
            pixels = face.decode(image)
            faces = face.find_faces(pixels)
            if not faces:
                failures += 1  # failure to acquire: no face found in this capture
                continue
            person.descriptors.append((label, face.describe(pixels, faces[0])))
            if any(label == photo_label for photo_label, _ in person.photos):
                person.distinct.add(label)
    return {"attempts": attempts, "failures": failures}


def pairs(people: list[Person]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances of genuine pairs (all, and those of two different photos) and of impostor pairs."""
    genuine, distinct, impostor = [], [], []
    for person in people:
        for (label_a, a), (label_b, b) in itertools.combinations(person.descriptors, 2):
            distance = face.compare(a, b)
            genuine.append(distance)
            if label_a in person.distinct and label_b in person.distinct:
                distinct.append(distance)
    for first, second in itertools.combinations(people, 2):
        if first.group and first.group == second.group and first.photo != second.photo:
            continue  # unlabelled people in two photos: might be one person
        for (_, a), (_, b) in itertools.product(first.descriptors, second.descriptors):
            impostor.append(face.compare(a, b))
    return np.array(genuine), np.array(distinct), np.array(impostor)


def rates(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> tuple[float, float]:
    """(false-match rate, false-non-match rate) in percent at `threshold` (match: distance ≤ threshold)."""
    fmr = 100 * float(np.mean(impostor <= threshold)) if impostor.size else float("nan")
    fnmr = 100 * float(np.mean(genuine > threshold)) if genuine.size else float("nan")
    return fmr, fnmr


def measure(quick: bool = False) -> dict:
    people = installed_people()
    more, missing = registry_people()
    people += more
    acquisition = describe_people(people, quick)
    genuine, distinct, impostor = pairs(people)
    originals = [p for p in people if p.descriptors and p.descriptors[0][0] in p.distinct]
    firsts = [Person(p.name, p.source, p.photos, p.group, p.photo, p.descriptors[:1]) for p in originals]
    _, _, impostor_photos = pairs(firsts)
    return {
        "people": people,
        "missing": missing,
        "acquisition": acquisition,
        "genuine": genuine,
        "distinct": distinct,
        "impostor": impostor,
        "impostor_photos": impostor_photos,
    }


def table(measured: dict) -> str:
    genuine, distinct, impostor = measured["genuine"], measured["distinct"], measured["impostor"]
    photos = measured["impostor_photos"]
    lines = [
        f"{len(measured['people'])} people; genuine pairs {genuine.size} ({distinct.size} of different photos); "
        f"impostor pairs {impostor.size} ({photos.size} photo against photo); failures to acquire "
        f"{measured['acquisition']['failures']} of {measured['acquisition']['attempts']} images",
        "threshold  FMR all  FMR photos  FNMR all  FNMR diff. photos",
    ]
    for threshold in THRESHOLDS:
        fmr, fnmr = rates(genuine, impostor, threshold)
        fmr_photos, _ = rates(genuine, photos, threshold)
        _, fnmr_distinct = rates(distinct, impostor, threshold)
        lines.append(
            f"{threshold:9.2f}  {fmr:6.2f}%  {fmr_photos:9.2f}%  {fnmr:7.2f}%  {fnmr_distinct:16.2f}%"
        )
    lines.append(
        f"impostor distances: min {impostor.min():.3f}, 1st percentile {np.percentile(impostor, 1):.3f}, "
        f"median {np.median(impostor):.3f}"
    )
    lines.append(
        f"genuine distances: median {np.median(genuine):.3f}, 99th percentile {np.percentile(genuine, 99):.3f}, "
        f"max {genuine.max():.3f}; different photos: {', '.join(f'{d:.3f}' for d in sorted(distinct))}"
    )
    if measured["missing"]:
        lines.append("not measured (registry unreachable): " + ", ".join(measured["missing"]))
    return "\n".join(lines)


def run(quick: bool = False) -> list[dict]:
    measured = measure(quick)
    genuine, distinct, impostor = measured["genuine"], measured["distinct"], measured["impostor"]
    rows = [
        result("face trade-off: people", len(measured["people"]), "people", "", None),
        result("face trade-off: genuine pairs", int(genuine.size), "pairs", "", None),
        result("face trade-off: genuine pairs of different photos", int(distinct.size), "pairs", "", None),
        result("face trade-off: impostor pairs", int(impostor.size), "pairs", "", None),
        result(
            "face trade-off: failures to acquire (no face found)",
            measured["acquisition"]["failures"],
            f"of {measured['acquisition']['attempts']} images",
            "",
            None,
        ),
        result(
            "face trade-off: smallest impostor distance",
            float(impostor.min()),
            "",
            f"> {CHOSEN}",
            float(impostor.min()) > CHOSEN,
        ),
        result("face trade-off: largest genuine distance", float(genuine.max()), "", "", None),
    ]
    for threshold in THRESHOLDS:
        fmr, fnmr = rates(genuine, impostor, threshold)
        chosen = threshold == CHOSEN
        rows.append(
            result(
                f"face threshold {threshold:.2f}: false-match rate",
                fmr,
                "%",
                "0" if chosen else "",
                (fmr == 0) if chosen else None,
            )
        )
        rows.append(result(f"face threshold {threshold:.2f}: false-non-match rate", fnmr, "%", "", None))
    if measured["missing"]:
        rows.append(
            result("face trade-off: packages not reached", len(measured["missing"]), "packages", "0", False)
        )
    return rows


if __name__ == "__main__":  # python -m bench.face_tradeoff [--quick]
    sys.stdout.write(table(measure(quick="--quick" in sys.argv)) + "\n")
