"""Kiosk sign-in by ID card and by face (consent first), through the demo terminal's pages."""

import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry

from eban.accounts.identity.idcard import IdCardData, sign_reading
from eban.accounts.models import Citizen

from . import factories

pytestmark = pytest.mark.django_db


def _jpeg(pixels) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def astronaut() -> bytes:
    from skimage import data

    return _jpeg(data.astronaut())


@pytest.fixture
def villager(astronaut):
    citizen = factories.citizen("王阿公")
    citizen.photo.save("ref.jpg", ContentFile(astronaut), save=True)
    return citizen


def _consent(client, citizen):
    client.post(reverse("kiosk:face_start"), {"id_number": citizen.id_number})
    return client.post(reverse("kiosk:face_consent"), {"consent": "yes"})


def _nonce(client) -> str:
    """The number the card page gives this terminal's reader (as the terminal agent reads it)."""
    page = client.get(reverse("kiosk:card")).content.decode()
    return re.search(r'data-reading-nonce="([^"]+)"', page).group(1)


def _reading(nonce: str, **fields) -> str:
    fields.setdefault("name", "王阿公")
    fields.setdefault("id_number", factories.id_number())
    return json.dumps(sign_reading(IdCardData(nonce=nonce, **fields)))


def test_card_reading_signs_in_and_records_a_new_citizen(client):
    number = factories.id_number()
    reading = _reading(_nonce(client), id_number=number, photo=b"jpeg")
    response = client.post(reverse("kiosk:card"), {"reading": reading})
    assert response.status_code == 302 and response["Location"] == reverse("kiosk:welcome")
    citizen = Citizen.objects.get_by_id_number(number)
    assert citizen.verification_method == "id_card" and citizen.photo
    assert client.get(reverse("kiosk:welcome")).status_code == 200


def test_a_forged_card_reading_signs_no_one_in(client):
    message = json.loads(_reading(_nonce(client)))
    message["signature"] = "0" * 64
    response = client.post(reverse("kiosk:card"), {"reading": json.dumps(message)})
    assert response.status_code == 400 and not Citizen.objects.exists()
    assert client.get(reverse("kiosk:welcome")).status_code == 302


def test_a_card_reading_replayed_within_its_two_minutes_signs_in_once():
    """The replay: one genuine reading posted by three clients at the same terminal."""
    from django.test import Client

    first, second, third = Client(), Client(), Client()
    reading = _reading(_nonce(first))
    codes = [c.post(reverse("kiosk:card"), {"reading": reading}).status_code for c in (first, second, third)]
    assert codes == [302, 400, 400]
    assert second.get(reverse("kiosk:welcome")).status_code == 302


def test_a_card_reading_made_for_another_terminal_is_refused(client):
    from eban.accounts.signin import kiosk as kiosk_signin

    nonce = kiosk_signin.issue_card_nonce("WZ-330300-999")  # another terminal's reader was given it
    response = client.post(reverse("kiosk:card"), {"reading": _reading(nonce)})
    assert response.status_code == 400 and not Citizen.objects.exists()


def test_a_card_reading_without_the_servers_number_is_refused(client):
    for nonce in ("", "made-up-by-the-terminal"):
        response = client.post(reverse("kiosk:card"), {"reading": _reading(nonce)})
        assert response.status_code == 400
    assert not Citizen.objects.exists()


def test_a_number_expires_with_its_two_minutes(client):
    from eban.accounts.models import CardReadingNonce

    nonce = _nonce(client)
    CardReadingNonce.objects.filter(nonce=nonce).update(
        created_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    assert client.post(reverse("kiosk:card"), {"reading": _reading(nonce)}).status_code == 400


def test_sample_cards_only_on_a_terminal_with_the_simulated_reader(client, settings):
    citizen = factories.citizen("王阿公")
    Citizen.objects.filter(pk=citizen.pk).update(is_sample=True)
    settings.EBAN_KIOSK_SIMULATED_READER = False
    assert client.post(reverse("kiosk:card"), {"sample": citizen.pk}).status_code == 400
    settings.EBAN_KIOSK_SIMULATED_READER = True
    assert client.post(reverse("kiosk:card"), {"sample": citizen.pk}).status_code == 302


# --- face: paired terminals only, a liveness challenge, the decision recorded -------------------


@pytest.fixture
def screen(client):
    """A client paired with a terminal, as an operator pairs a kiosk's screen."""
    from eban.kiosks.tests.app_factories import paired_terminal

    terminal, link = paired_terminal()
    client.get(link)
    client.terminal = terminal
    return client


@pytest.fixture(scope="module")
def frames():
    """What the camera page sends: two frames looking straight, then the head turned to the
    person's left (a smooth warp of the sample face: see fakecamera.turned_face)."""
    from skimage import data

    from .fakecamera import turned_face

    straight = Image.fromarray(data.astronaut()).crop((40, 0, 440, 300))
    turned = turned_face(straight, towards="left")

    def jpeg(picture, quality):
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=quality)
        return buffer.getvalue()

    return {
        "still": [jpeg(straight, 90), jpeg(straight, 85), jpeg(straight, 80)],
        "left": [jpeg(straight, 90), jpeg(straight, 85), jpeg(turned, 90), jpeg(turned, 85)],
    }


def _challenge(monkeypatch, direction: str):
    from eban.accounts.identity import liveness

    monkeypatch.setattr(liveness, "draw_challenge", lambda: direction)


def _to_camera(client, citizen):
    client.post(reverse("kiosk:face_start"), {"id_number": citizen.id_number})
    client.post(reverse("kiosk:face_consent"), {"consent": "yes"})
    return client.get(reverse("kiosk:face_camera"))


def _check(client, images):
    files = [ContentFile(image, name=f"f{i}.jpg") for i, image in enumerate(images)]
    return client.post(reverse("kiosk:face_check"), {"frame": files})


def test_face_sign_in_is_refused_on_a_browser_that_is_not_a_paired_terminal(client, villager, frames):
    """The attacker's browser: no pairing cookie, the photo on record re-photographed."""
    response = client.post(reverse("kiosk:face_start"), {"id_number": villager.id_number})
    assert response.status_code == 403
    assert "registered terminal" in response.content.decode() or response.status_code == 403
    assert client.get(reverse("kiosk:face_camera")).status_code == 302
    answer = _check(client, frames["left"])
    assert answer.status_code == 400 and not answer.json()["ok"]
    assert client.get(reverse("kiosk:welcome")).status_code == 302


def test_a_still_photo_of_the_person_does_not_pass_the_challenge(screen, villager, frames, monkeypatch):
    from eban.accounts.models import FaceAttempt

    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    response = _check(screen, frames["still"])
    assert response.status_code == 400 and response.json()["code"] == "liveness"
    attempt = FaceAttempt.objects.get()
    assert attempt.passed is False and attempt.reason == "not_turned"
    assert attempt.terminal == screen.terminal.code and attempt.decided_at
    assert screen.get(reverse("kiosk:welcome")).status_code == 302


def test_the_same_picture_sent_several_times_is_not_a_moving_person(screen, villager, frames, monkeypatch):
    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    response = _check(screen, [frames["left"][2]] * 4)
    assert response.status_code == 400 and response.json()["code"] == "liveness"


def test_turning_the_other_way_than_asked_fails(screen, villager, frames, monkeypatch):
    _challenge(monkeypatch, "right")
    _to_camera(screen, villager)
    assert _check(screen, frames["left"]).json()["code"] == "liveness"


def test_a_turn_as_asked_signs_in_and_the_decision_is_kept_without_face_data(
    screen, villager, frames, monkeypatch
):
    from eban.accounts.models import FaceAttempt

    _challenge(monkeypatch, "left")
    page = _to_camera(screen, villager)
    assert page.status_code == 200 and b'data-challenge="left"' in page.content
    response = _check(screen, frames["left"])
    assert response.status_code == 200 and response.json()["ok"], response.json()
    villager.refresh_from_db()
    assert villager.verification_method == "face"
    attempt = FaceAttempt.objects.get()
    assert attempt.passed is True and attempt.terminal == screen.terminal.code
    assert attempt.id_number_index == ""  # nothing that names the person stays on the decision
    entry = ModelLogEntry.objects.filter(action="accounts.citizen.sign_in").get()
    assert entry.data["matched"] is True and set(entry.data) == {"method", "matched", "distance", "terminal"}
    assert entry.data["terminal"] == screen.terminal.code


def test_a_challenge_is_answered_once(screen, villager, frames, monkeypatch):
    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    session_cookie = screen.cookies[settings.SESSION_COOKIE_NAME].value
    assert _check(screen, frames["left"]).status_code == 200
    replay = Client()
    replay.cookies = screen.cookies
    replay.cookies[settings.SESSION_COOKIE_NAME] = session_cookie  # the session as it was before
    assert _check(replay, frames["left"]).json()["ok"] is False


def test_the_session_never_holds_the_id_number(screen, villager, monkeypatch):
    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    stored = json.dumps(dict(screen.session.items()), default=str)
    assert villager.id_number not in stored and villager.id_number.lower() not in stored
    assert "eban_face_id" not in screen.session


def test_the_camera_page_is_not_served_before_consent(screen, villager):
    screen.post(reverse("kiosk:face_start"), {"id_number": villager.id_number})
    consent_page = screen.get(reverse("kiosk:face_consent"))
    assert b"getUserMedia" not in consent_page.content and b"kiosk-face.js" not in consent_page.content
    assert screen.get(reverse("kiosk:face_camera"))["Location"] == reverse("kiosk:face_consent")
    assert screen.post(reverse("kiosk:face_consent"), {"consent": "no"})["Location"] == reverse("kiosk:card")
    assert screen.get(reverse("kiosk:face_camera")).status_code == 302


def test_a_face_check_without_consent_is_refused(screen, villager, frames):
    screen.post(reverse("kiosk:face_start"), {"id_number": villager.id_number})
    response = _check(screen, frames["left"])
    assert response.status_code == 400 and response.json()["code"] == "consent"


def test_no_photo_on_record_points_to_the_id_card(screen, frames):
    citizen = factories.citizen("陈阿婆")
    _to_camera(screen, citizen)
    assert _check(screen, frames["left"]).json()["code"] == "no_reference"


def test_face_attempts_per_id_number_are_limited(screen, villager):
    codes = []
    for _ in range(6):
        _to_camera(screen, villager)
        codes.append(_check(screen, [b"not an image", b"nor this", b"nor that"]).status_code)
    assert codes[:5] == [400] * 5 and codes[5] == 429


def test_sign_out_wipes_the_session(screen, villager, frames, monkeypatch):
    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    _check(screen, frames["left"])
    screen.post(reverse("kiosk:sign_out"))
    assert screen.get(reverse("kiosk:welcome"))["Location"] == reverse("kiosk:sign_in")


def test_a_frame_without_a_face_among_good_ones_is_skipped(screen, villager, frames, monkeypatch):
    from skimage import data

    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    response = _check(screen, [_jpeg(data.coffee()), *frames["left"]])
    assert response.status_code == 200 and response.json()["ok"], response.json()


def test_frames_without_a_face_are_refused_with_a_way_out(screen, villager, monkeypatch):
    from skimage import data

    _challenge(monkeypatch, "left")
    _to_camera(screen, villager)
    coffee = data.coffee()
    images = [_jpeg(coffee), _jpeg(coffee[::-1]), _jpeg(coffee[:, ::-1])]
    response = _check(screen, images)
    assert response.status_code == 400 and response.json()["code"] == "face_not_found"
    assert response.json()["again"]
