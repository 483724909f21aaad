"""Kiosk sign-in by ID card and by face (consent first), through the demo terminal's pages."""

import datetime
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry

from eban.accounts.idcard import IdCardData, sign_reading
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
    from eban.accounts import kiosk_signin

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


def test_the_camera_page_is_not_served_before_consent(client, villager):
    client.post(reverse("kiosk:face_start"), {"id_number": villager.id_number})
    consent_page = client.get(reverse("kiosk:face_consent"))
    assert b"getUserMedia" not in consent_page.content and b"kiosk-face.js" not in consent_page.content
    assert client.get(reverse("kiosk:face_camera"))["Location"] == reverse("kiosk:face_consent")
    assert client.post(reverse("kiosk:face_consent"), {"consent": "no"})["Location"] == reverse("kiosk:card")
    assert client.get(reverse("kiosk:face_camera")).status_code == 302


def test_a_face_check_without_consent_is_refused(client, villager, astronaut):
    client.post(reverse("kiosk:face_start"), {"id_number": villager.id_number})
    response = client.post(reverse("kiosk:face_check"), {"capture": ContentFile(astronaut, name="c.jpg")})
    assert response.status_code == 400 and response.json()["code"] == "consent"


def test_the_same_face_signs_in_and_nothing_of_the_capture_is_kept(client, villager, astronaut):
    assert _consent(client, villager)["Location"] == reverse("kiosk:face_camera")
    assert client.get(reverse("kiosk:face_camera")).status_code == 200
    response = client.post(reverse("kiosk:face_check"), {"capture": ContentFile(astronaut, name="c.jpg")})
    assert response.status_code == 200 and response.json()["ok"]
    villager.refresh_from_db()
    assert villager.verification_method == "face"
    entry = ModelLogEntry.objects.filter(action="accounts.citizen.sign_in").get()
    assert entry.data["matched"] is True and set(entry.data) == {"method", "matched", "distance", "terminal"}
    assert "eban_face_consent_at" not in client.session  # consent is spent


def test_a_picture_without_a_face_is_refused_with_a_way_out(client, villager):
    from skimage import data

    _consent(client, villager)
    response = client.post(
        reverse("kiosk:face_check"), {"capture": ContentFile(_jpeg(data.coffee()), name="c.jpg")}
    )
    assert response.status_code == 400 and not response.json()["ok"]


def test_no_photo_on_record_points_to_the_id_card(client):
    citizen = factories.citizen("陈阿婆")
    _consent(client, citizen)
    response = client.post(reverse("kiosk:face_check"), {"capture": ContentFile(b"x", name="c.jpg")})
    assert response.json()["code"] == "no_reference"


def test_face_attempts_per_id_number_are_limited(client, villager):
    _consent(client, villager)
    codes = [
        client.post(
            reverse("kiosk:face_check"), {"capture": ContentFile(b"not an image", name="c.jpg")}
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [400] * 5 and codes[5] == 429


def test_sign_out_wipes_the_session(client, villager, astronaut):
    _consent(client, villager)
    client.post(reverse("kiosk:face_check"), {"capture": ContentFile(astronaut, name="c.jpg")})
    client.post(reverse("kiosk:sign_out"))
    assert client.get(reverse("kiosk:welcome"))["Location"] == reverse("kiosk:sign_in")
    assert "eban_face_id" not in client.session
