"""The pages satisfy their Content-Security-Policy in a real browser: Chromium reports no
violation on the public site, the finder's map, the sign-in pages, the API docs and the back
office (eban/core/csp.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from eban.catalogue.testing import make_matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/matters/",
    "/matters/330300-MZ-0001/",
    "/account/sign-in/",
    "/kiosks/",
    "/verify/",
    "/api/v1/docs",
]


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


@pytest.fixture
def page(new_page):
    """A page with the policy in force (the other browser tests' pages bypass it)."""
    return new_page(bypass_csp=False)


def test_public_pages_break_no_rule_of_their_policy(live_server, page):
    cache.clear()
    make_matter(code="330300-MZ-0001", name="老年人优待证办理", short_name="老年人优待证")
    violations = _violations(page)
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)


def test_the_back_office_breaks_no_rule_of_its_policy(
    live_server, page, sign_in_to_back_office, django_user_model
):
    django_user_model.objects.create_superuser("csp-admin", "csp@example.test", "a-long-test-password")
    violations = _violations(page)
    sign_in_to_back_office(page, live_server.url, django_user_model.objects.get(username="csp-admin"),
                           "a-long-test-password")  # fmt: skip
    for path in ["/admin/", "/admin/catalogue/import/", "/admin/users/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)
