"""The OpenAPI document: valid, as committed, and the interactive docs work offline.

Refresh the committed snapshot after an intended API change with
`EBAN_UPDATE_SNAPSHOT=1 .venv/bin/pytest eban/api/tests/test_openapi.py` and review the diff.
"""

import json
import os
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

SNAPSHOT = Path(__file__).with_name("openapi.json")


def served_openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_is_valid(client):
    validate(served_openapi(client))


def test_openapi_document_matches_the_committed_snapshot(client):
    document = served_openapi(client)
    if os.environ.get("EBAN_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert document == committed, (
        "The API changed. If intended, refresh the snapshot with EBAN_UPDATE_SNAPSHOT=1 and review its diff."
    )


def test_openapi_declares_the_matters_endpoints_and_their_errors(client):
    paths = served_openapi(client)["paths"]
    assert set(paths["/api/v1/matters"]["get"]["responses"]) == {"200", "422"}
    assert set(paths["/api/v1/matters/{code}"]["get"]["responses"]) == {"200", "404"}


def test_docs_page_loads_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg|png))"', html)
    assert assets, "the docs page should load Swagger UI's script and style"
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by us (no network at the counter)"
        assert finders.find(url.removeprefix("/static/")), f"{url} is not among the static files"
