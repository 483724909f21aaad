"""The back office's own frame, whatever the page: eban's name and logo (not Wagtail's bird), no
avatar fetched from gravatar.com, and Chinese throughout — Wagtail's strings that its catalogue
lacks are supplied by eban/locale_overrides (see DEVELOPERS.md)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from eban.accounts.enums import StaffRole
from eban.accounts.testing import make_staff, staff_login

pytestmark = pytest.mark.django_db

OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides" / "zh_Hans" / "LC_MESSAGES"
# Pages every role sees, and those of the platform administrator's menus.
PAGES = [
    "/admin/",
    "/admin/account/",
    "/admin/users/",
    "/admin/groups/",
    "/admin/applications/",
    "/admin/applications/ratings/",
    "/admin/workdays/upload/",
    "/admin/snippets/workdays/calendaryear/",
    "/admin/snippets/workdays/specialday/",
    "/admin/notifications/templates/",
    "/admin/notifications/messages/",
    "/admin/rules/",
    "/admin/reports/site-history/",
]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.gov.cn", "a-long-test-password")


@pytest.fixture
def reviewer():
    from eban.catalogue.testing import make_department, make_division
    from eban.government.models import DivisionLevel

    city = make_division("330300", "温州市", DivisionLevel.CITY)
    department = make_department("330300-RS", "温州市人力资源和社会保障局", division=city)
    user = make_staff("reviewer", department=department, roles=[StaffRole.REVIEWER])
    user.email = "reviewer@example.gov.cn"
    user.save()
    return user


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_no_back_office_page_fetches_an_avatar_from_gravatar(client, superuser, reviewer):
    staff_login(client, superuser)
    for url in PAGES:
        assert "gravatar" not in _get(client, url).lower(), url
    staff_login(client, reviewer)
    assert "gravatar" not in _get(client, "/admin/").lower()


def test_the_back_office_carries_ebans_name_and_logo(client, superuser):
    staff_login(client, superuser)
    html = _get(client, "/admin/")
    assert re.search(r"<title>[^<]*- eban e办\s*</title>", html)
    branding = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S)
    assert branding and "eban/admin/logo.svg" in branding.group(1)
    assert re.search(r'<link rel="(shortcut )?icon"[^>]*eban/admin/favicon.svg', html)


def test_the_sign_in_page_carries_ebans_name(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/admin/login/").content.decode()
    assert "Sign in to eban e办" in html and "Sign in to Wagtail" not in html
    assert "eban/admin/logo.svg" in html and "- eban e办" in html


def test_the_sign_in_form_reads_in_chinese(client):
    html = client.get("/admin/login/").content.decode()
    labels = re.findall(r"<label[^>]*>\s*([^<]+?)\s*<", html)
    assert "密码" in labels and "Password" not in labels


SKIPPED = ("script", "style", "template", "svg", "noscript", "option", "code", "pre", "kbd")


class _Text(HTMLParser):
    """The words a person reads: text and labels outside scripts, styles and templates, and not
    data (choices, code: time zones, CSV columns, names of groups)."""

    def __init__(self):
        super().__init__()
        self.skip, self.words = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") and value and not self.skip:
                self.words.append(value)

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.words.append(data)


def english_words(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return set(re.findall(r"[A-Za-z][a-z]{2,}(?:\s+[a-z]{2,})*", " ".join(parser.words)))


# Latin words that are names, not English prose.
NAMES = {"eban", "Wagtail", "chief", "reviewer", "example", "gov", "CSV", "JSON"}
# The holiday file's own keywords (its header and kinds) and the calendar's seed source.
NAMES |= {"date", "kind", "name", "holiday", "workday", "chinese", "calendar"}


PENDING_EBAN_MSGIDS: set[str] = set()  # eban's own strings awaiting their Chinese: none

# Pages whose data holds English (group names, the English message templates, message codes).
DATA_PAGES = (
    "/admin/users/",
    "/admin/groups/",
    "/admin/notifications/templates/",
    "/admin/notifications/messages/",
)


@pytest.mark.parametrize(
    "who, url",
    [("superuser", "/admin/"), ("reviewer", "/admin/"), ("reviewer", "/admin/applications/")]
    + [("superuser", url) for url in PAGES if url not in DATA_PAGES],
)
def test_back_office_pages_read_in_chinese(client, superuser, reviewer, who, url):
    staff_login(client, superuser if who == "superuser" else reviewer)
    words = {
        w
        for w in english_words(_get(client, url))
        if w.split()[0] not in NAMES and " ".join(w.split()) not in PENDING_EBAN_MSGIDS
    }
    assert not words, f"English on {url}: {sorted(words)}"


def test_wagtail_strings_that_wagtail_lacks_read_in_chinese(client, superuser):
    staff_login(client, superuser)
    html = _get(client, "/admin/")
    for english, chinese in [("Search all pages", "搜索所有页面"), ("Page types usage", "页面类型使用情况")]:
        assert english not in html
        assert chinese in html or json.dumps(chinese)[1:-1] in html  # the menu is JSON (escaped)


def test_every_override_is_translated_and_compiled(tmp_path):
    po = (OVERRIDES / "django.po").read_text(encoding="utf-8")
    assert not re.search(r'^msgstr(\[0\])? ""\n\n', po + "\n", re.M), "an override without its Chinese"
    if shutil.which("msgfmt"):
        out = tmp_path / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(OVERRIDES / "django.po")], check=True)
        assert out.read_bytes() == (OVERRIDES / "django.mo").read_bytes(), (
            "compile the overrides (DEVELOPERS.md)"
        )
