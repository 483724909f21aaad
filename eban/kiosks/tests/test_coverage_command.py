"""`eban kiosk-coverage`: the summary, the progress bar, the JSON report, the options."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from eban.kiosks import geo

from .test_coverage_admin import RUIAN, network  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("kiosk_coverage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_summary_and_progress_bar(network):  # noqa: F811
    out, err = run("--sites", "2")
    assert "Share of people covered: 53.6% (1500 people; 2 of 5 settlements)." in out
    assert "People not covered: 1300" in out
    assert "Key villages not covered: 2 of 2" in out
    assert "瑞安乙村 (RA-B, 800)" in out and "鹿城乙村 (LC-B, 300)" in out
    assert "1. 瑞安乙村 (RA-B" in out and "+800 people" in out
    assert "2. " in out and "+500 people, 100.0% in all" in out
    assert "鹿城区" in out and "瑞安市" in out  # per county
    assert "Reach: a 15-minute walk (840 m in a straight line)." in out
    for phase in ("loading", "covering", "candidates", "new sites"):
        assert phase in err
    assert "[##############################] 100%" in err


def test_division_minutes_speed_and_json(network, tmp_path):  # noqa: F811
    target = tmp_path / "coverage.json"
    out, _err = run(
        "--division", RUIAN, "--minutes", "10", "--speed", "50", "--sites", "1", "--json", str(target)
    )
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["settlements"] == 2 and report["terminals"] == 1
    assert report["radius_m"] == pytest.approx(geo.reach_m(10, speed_m_per_min=50))
    assert [c["code"] for c in report["counties"]] == [RUIAN]
    assert report["sites"][0]["code"] == "RA-B"
    assert f"Division: {RUIAN}" in out


def test_straight_radius_and_no_progress(network):  # noqa: F811
    out, err = run("--radius-m", "50000", "--no-progress", "--sites", "0")
    assert "Reach: 50000 m in a straight line." in out
    assert "Share of people covered: 100.0%" in out
    assert "Proposed new sites" not in out
    assert err == ""


def test_bad_options(network):  # noqa: F811
    with pytest.raises(CommandError):
        run("--division", "999999")
    with pytest.raises(CommandError):
        run("--minutes", "0")
    with pytest.raises(CommandError):
        run("--sites", "-1")


def test_empty_database():
    out, _err = run("--no-progress")
    assert "0 terminals in service, 0 settlements, 0 people." in out
    assert "Share of people covered: —" in out
