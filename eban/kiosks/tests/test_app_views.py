"""The kiosk app's pages: pairing, the home, applying through the kiosk, the result page's
status, signing out."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from eban.accounts import actions as accounts
from eban.accounts.tests.factories import citizen, division
from eban.applications.models import Application, MatterSetup
from eban.catalogue.testing import make_department, make_division
from eban.catalogue.testing import make_matter as catalogue_matter
from eban.kiosks import pairing
from eban.kiosks.models import KioskTransaction

from .app_factories import paired_terminal

pytestmark = pytest.mark.django_db

FORM = {
    "type": "object",
    "properties": {
        "purpose": {"type": "string", "title": {"zh-hans": "用途", "en": "Purpose"}, "maxLength": 50}
    },
    "required": ["purpose"],
}


@pytest.fixture
def department():
    return make_department("330300-MZ", "温州市民政局", division=make_division("330300", "温州市"))


def kiosk_matter(department, **fields):
    fields.setdefault("name", "社会团体成立登记")
    fields.setdefault("category", "approval")
    fields.setdefault("on_the_spot", False)
    fields.setdefault("statutory_days", 20)
    fields.setdefault("promised_days", 10)
    fields.setdefault("channel_kiosk", True)
    return catalogue_matter(department=department, **fields)


@pytest.fixture
def review_matter(department):
    matter = kiosk_matter(department)
    MatterSetup.objects.create(matter=matter, form_schema=FORM, accepting=True)
    return matter


@pytest.fixture
def terminal():
    return paired_terminal()


@pytest.fixture
def screen(client, terminal):
    """A client paired with the terminal."""
    client.get(terminal[1])
    return client


def sign_in_at_kiosk(client, person):
    """Sign in as the kiosk's sign-in pages do (the card or face check itself is tested in accounts)."""
    client.force_login(accounts.account_for(person), backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["eban_kiosk"] = True
    session["eban_kiosk_sign_in_id"] = "test-sign-in"
    session.save()


@pytest.fixture
def villager(db):
    division("330302")
    person = citizen("王阿公", household_division_code="330302")
    accounts.account_for(person)
    return person


@pytest.fixture
def stranger(db):
    division("330302")
    person = citizen("陈阿婆", household_division_code="330302")
    accounts.account_for(person)
    return person


# --- pairing -------------------------------------------------------------------------------------


def test_a_good_pairing_link_pairs_the_screen_and_goes_home(client, terminal):
    response = client.get(terminal[1])
    assert response.status_code == 302 and response["Location"] == reverse("kiosk:home")
    assert pairing.COOKIE in response.cookies
    page = client.get(reverse("kiosk:home")).content.decode()
    assert 'data-testid="terminal"' in page and 'data-testid="demo-screen"' not in page


def test_a_forged_link_pairs_nothing_and_says_so(client, terminal):
    with translation.override("en"):
        response = client.get(reverse("kiosk:pair", args=["not-a-real-link"]))
    assert response.status_code == 400 and pairing.COOKIE not in response.cookies
    assert 'data-testid="pair-failed"' in response.content.decode()


def test_a_stale_link_pairs_nothing(client, terminal, monkeypatch):
    value = terminal[1].rstrip("/").rsplit("/", 1)[-1]
    later = datetime.datetime.now().timestamp() + pairing.LINK_SECONDS + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(reverse("kiosk:pair", args=[value]))
    assert response.status_code == 400 and pairing.COOKIE not in response.cookies


def test_a_link_made_before_the_token_was_rotated_pairs_nothing(client, terminal):
    from eban.kiosks.actions import SYSTEM, tokens

    tokens.issue_token(terminal[0], actor=SYSTEM)
    assert client.get(terminal[1]).status_code == 400


def test_an_unpaired_screen_says_so_discreetly(client):
    page = client.get(reverse("kiosk:home")).content.decode()
    assert 'data-testid="demo-screen"' in page


# --- home, category, matter --------------------------------------------------------------------------


def test_home_lists_the_four_categories_with_their_kiosk_matters(client, department, review_matter):
    kiosk_matter(department, name="只在网上办", channel_kiosk=False)
    with translation.override("en"):
        response = client.get(reverse("kiosk:home"))
    page = response.content.decode()
    for value in ("approval", "certificate", "self_payment", "public_payment"):
        assert f'data-testid="category-{value}"' in page
    category = client.get(reverse("kiosk:category", args=["approval"])).content.decode()
    assert review_matter.name in category and "只在网上办" not in category


def test_a_terminal_listing_matters_offers_only_those(screen, terminal, department, review_matter):
    other = kiosk_matter(department, name="别的事项")
    terminal[0].matters.set([other])
    page = screen.get(reverse("kiosk:category", args=["approval"])).content.decode()
    assert "别的事项" in page and review_matter.name not in page
    assert screen.get(reverse("kiosk:matter", args=[review_matter.code])).status_code == 404


def test_most_used_matters_come_from_this_terminals_transactions(screen, terminal, department, review_matter):
    from eban.kiosks.actions import usage
    from eban.kiosks.app import queries as app_queries

    other = kiosk_matter(department, name="常用事项")
    for _ in range(3):
        usage.record_transaction(terminal[0], "guide", matter=other)
    usage.record_transaction(terminal[0], "guide", matter=review_matter)
    assert app_queries.most_used(terminal[0])[:2] == [other, review_matter]
    assert 'data-testid="popular-' + other.code in screen.get(reverse("kiosk:home")).content.decode()


def test_the_matter_page_is_a_short_guide_with_apply_here(screen, terminal, review_matter):
    with translation.override("en"):
        page = screen.get(reverse("kiosk:matter", args=[review_matter.code])).content.decode()
    assert 'data-testid="apply"' in page and 'data-testid="time-limit"' in page
    assert (
        KioskTransaction.objects.filter(terminal=terminal[0], kind="guide", matter=review_matter).count() == 1
    )


# --- applying --------------------------------------------------------------------------------------


def test_applying_needs_a_kiosk_sign_in_and_comes_back_after_it(client, review_matter):
    apply_url = reverse("kiosk:apply", args=[review_matter.code])
    response = client.get(apply_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("kiosk:sign_in"))
    client.get(response["Location"])  # the sign-in page keeps where the citizen was going
    assert client.session["eban_kiosk_next"] == apply_url


def test_the_sign_in_page_keeps_only_local_kiosk_paths(client):
    for bad in ("https://evil.example/kiosk/", "//evil.example/kiosk/", "/admin/", "/kiosk/\\evil"):
        client.get(reverse("kiosk:sign_in"), {"next": bad})
        assert "eban_kiosk_next" not in client.session


def test_applying_at_the_kiosk_makes_a_kiosk_case_and_counts_it(screen, terminal, villager, review_matter):
    sign_in_at_kiosk(screen, villager)
    response = screen.post(reverse("kiosk:apply", args=[review_matter.code]), {"purpose": "登记"})
    assert response.status_code == 302, response.content.decode()[:1000]
    application = Application.objects.get(citizen=villager)
    assert application.channel == "kiosk" and application.division_id == terminal[0].division_id
    assert response["Location"] == reverse("kiosk:case", args=[application.number])
    counted = KioskTransaction.objects.get(kind="application")
    assert counted.matter == review_matter and counted.application_number == application.number
    with translation.override("en"):
        receipt = screen.get(response["Location"]).content.decode()
    assert 'data-testid="receipt"' in receipt and application.number in receipt


def test_a_form_error_is_shown_and_nothing_is_saved(screen, villager, review_matter):
    sign_in_at_kiosk(screen, villager)
    response = screen.post(reverse("kiosk:apply", args=[review_matter.code]), {"purpose": ""})
    assert response.status_code == 400 and not Application.objects.exists()
    assert not KioskTransaction.objects.filter(kind="application").exists()


def test_the_status_view_refuses_another_persons_case(client, villager, stranger, review_matter):
    sign_in_at_kiosk(client, villager)
    client.post(reverse("kiosk:apply", args=[review_matter.code]), {"purpose": "登记"})
    number = Application.objects.get().number
    assert client.get(reverse("kiosk:case_status", args=[number])).json()["state"] == "review"
    client.post(reverse("kiosk:sign_out"))
    sign_in_at_kiosk(client, stranger)
    assert client.get(reverse("kiosk:case_status", args=[number])).status_code == 404
    assert client.get(reverse("kiosk:case", args=[number])).status_code == 404
    assert client.get(reverse("kiosk:certificate", args=[number])).status_code == 404


def test_the_status_view_needs_a_kiosk_sign_in(client, villager, review_matter):
    sign_in_at_kiosk(client, villager)
    client.post(reverse("kiosk:apply", args=[review_matter.code]), {"purpose": "登记"})
    number = Application.objects.get().number
    client.post(reverse("kiosk:sign_out"))
    assert client.get(reverse("kiosk:case_status", args=[number])).status_code == 403


# --- signing in and out ---------------------------------------------------------------------------


def test_a_sign_in_is_counted_once_and_leads_where_the_citizen_was_going(screen, terminal, villager):
    screen.get(reverse("kiosk:sign_in"), {"next": reverse("kiosk:category", args=["approval"])})
    sign_in_at_kiosk(screen, villager)
    response = screen.get(reverse("kiosk:welcome"))
    assert response["Location"] == reverse("kiosk:category", args=["approval"])
    screen.get(reverse("kiosk:welcome"))
    assert KioskTransaction.objects.filter(kind="sign_in", terminal=terminal[0]).count() == 1


def test_sign_out_flushes_the_session_and_goes_home(client, villager):
    sign_in_at_kiosk(client, villager)
    session = client.session
    session["eban_face_consent_at"] = 1.0
    session["eban_face_id"] = villager.id_number
    session.save()
    response = client.post(reverse("kiosk:sign_out"), {"next": reverse("kiosk:home")})
    assert response["Location"] == reverse("kiosk:home")
    assert dict(client.session.items()) == {}
    page = client.get(reverse("kiosk:home")).content.decode()
    assert 'data-testid="header-sign-in"' in page


def test_sign_out_goes_nowhere_but_the_kiosk(client, villager):
    sign_in_at_kiosk(client, villager)
    response = client.post(reverse("kiosk:sign_out"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("kiosk:sign_in")


def test_a_card_sign_in_at_a_paired_terminal_names_the_terminal_and_is_counted(
    screen, terminal, villager, settings
):
    from wagtail.models import ModelLogEntry

    from eban.accounts.models import Citizen

    settings.EBAN_KIOSK_SIMULATED_READER = True
    Citizen.objects.filter(pk=villager.pk).update(is_sample=True)
    screen.get(reverse("kiosk:sign_in"), {"next": reverse("kiosk:home")})
    response = screen.post(reverse("kiosk:card"), {"sample": villager.pk})
    assert response["Location"] == reverse("kiosk:welcome")
    assert screen.get(response["Location"])["Location"] == reverse("kiosk:home")
    entry = ModelLogEntry.objects.filter(action="accounts.citizen.sign_in").latest("pk")
    assert entry.data["terminal"] == terminal[0].code
    assert KioskTransaction.objects.filter(kind="sign_in", terminal=terminal[0]).count() == 1


def test_a_scanned_material_goes_with_the_application_and_shared_ones_need_nothing(
    screen, villager, department
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def material(name, source):
        return (
            "material",
            {"name": name, "form": "original", "copies": 1, "required": True, "source": source},
        )

    matter = kiosk_matter(
        department,
        name="带材料的事项",
        materials=[material("申请书", "applicant"), material("居民身份证", "shared")],
    )
    MatterSetup.objects.create(matter=matter, accepting=True)
    sign_in_at_kiosk(screen, villager)
    url = reverse("kiosk:apply", args=[matter.code])
    page = screen.get(url).content.decode()
    assert 'accept="image/*,application/pdf"' in page and 'data-testid="nothing-to-bring"' in page
    assert screen.post(url, {}).status_code == 400  # the scan is required
    scan = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0" + b"0" * 200, content_type="image/jpeg")
    assert screen.post(url, {"material-0": scan}).status_code == 302
    sources = sorted(Application.objects.get().materials.values_list("source", flat=True))
    assert sources == ["shared", "upload"]
