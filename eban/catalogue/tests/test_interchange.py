import copy
import json

import pytest
from wagtail.models import ModelLogEntry, Revision

from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.guide import matter_to_dict
from eban.catalogue.interchange import (
    ImportRejected,
    export_bytes,
    export_data,
    import_bytes,
    import_matters,
)
from eban.catalogue.models import Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    ensure_reference_data()
    return generate_matters(12, seed=1)


def matter_logs(action):
    return ModelLogEntry.objects.filter(action=action)


def test_import_creates_published_matters_with_a_revision_and_an_audit_record(catalogue, staff_user):
    report = import_matters(catalogue, actor=staff_user)
    assert len(report.created) == 12
    matter = Matter.objects.get(code=catalogue["matters"][0]["code"])
    assert matter.live and not matter.has_unpublished_changes
    assert matter.live_revision_id == matter.latest_revision_id
    assert matter.live_revision.user == staff_user
    entry = matter_logs("catalogue.matter.create").get(object_id=str(matter.pk))
    assert entry.user == staff_user
    assert entry.data["code"] == matter.code


def test_imported_guide_reads_back_as_the_input(catalogue):
    import_matters(catalogue)
    for item in catalogue["matters"]:
        assert matter_to_dict(Matter.objects.get(code=item["code"])) == item


def test_revision_content_rebuilds_the_matter(catalogue):
    import_matters(catalogue)
    matter = Matter.objects.get(code=catalogue["matters"][3]["code"])
    assert set(matter.live_revision.content) == set(matter.serializable_data())
    assert matter_to_dict(matter.live_revision.as_object()) == matter_to_dict(matter)


def test_importing_the_same_data_twice_changes_nothing_the_second_time(catalogue):
    import_matters(catalogue)
    revisions, logs = Revision.objects.count(), ModelLogEntry.objects.count()
    report = import_matters(copy.deepcopy(catalogue))
    assert report.created == [] and report.updated == [] and report.unchanged == 12
    assert (Revision.objects.count(), ModelLogEntry.objects.count()) == (revisions, logs)


def test_a_changed_matter_gets_a_new_revision_and_a_field_level_diff(catalogue):
    import_matters(catalogue)
    changed = copy.deepcopy(catalogue)
    changed["matters"][2]["name"] = "新的事项名称"
    changed["matters"][2]["conditions"] = ["年满18周岁"]
    report = import_matters(changed)
    code = changed["matters"][2]["code"]
    assert report.updated == [code] and report.unchanged == 11
    matter = Matter.objects.get(code=code)
    assert Revision.objects.filter(object_id=str(matter.pk)).count() == 2
    entry = matter_logs("catalogue.matter.update").get(object_id=str(matter.pk))
    assert set(entry.data["changes"]) == {"name", "conditions"}
    assert entry.data["changes"]["name"]["new"] == "新的事项名称"


def test_one_bad_matter_rejects_the_whole_import_and_changes_nothing(catalogue):
    import_matters(catalogue)
    before = export_data()
    changed = copy.deepcopy(catalogue)
    changed["matters"][0]["name"] = "改了但不应保存"
    changed["matters"][5]["trips"] = "many"
    changed["matters"].append(generate_matters(20, seed=9)["matters"][19] | {"code": "NEW-0001"})
    with pytest.raises(ImportRejected) as caught:
        import_matters(changed)
    assert export_data() == before
    assert not Matter.objects.filter(code="NEW-0001").exists()
    [problem] = caught.value.report.problems
    assert (problem.sheet, problem.row, problem.column) == ("matters", 6, "trips")


def test_the_report_says_what_is_wrong_in_chinese_and_english(catalogue):
    catalogue["matters"][1]["category"] = "nonsense"
    with pytest.raises(ImportRejected) as caught:
        import_matters(catalogue)
    [problem] = caught.value.report.problems
    assert "不是可选值之一" in problem.message_zh
    assert "is not one of" in problem.message_en
    assert "第 2 行" in problem.line() and "row 2" in problem.line()


@pytest.mark.parametrize(
    ("field", "value", "column", "english"),
    [
        ("department", "999999-XX", "department", "No department"),
        ("divisions", ["999999"], "divisions[1]", "No division"),
        ("themes", ["no_such_theme"], "themes[1]", "No theme"),
        ("life_events", ["no_such_event"], "life_events[1]", "No life event"),
    ],
)
def test_every_cross_reference_is_checked(catalogue, field, value, column, english):
    catalogue["matters"][4][field] = value
    with pytest.raises(ImportRejected) as caught:
        import_matters(catalogue)
    [problem] = caught.value.report.problems
    assert problem.column == column and english in problem.message_en


def test_duplicate_codes_are_refused(catalogue):
    catalogue["matters"][7]["code"] = catalogue["matters"][2]["code"]
    with pytest.raises(ImportRejected) as caught:
        import_matters(catalogue)
    [problem] = caught.value.report.problems
    assert problem.row == 8 and "more than once" in problem.message_en
    assert Matter.objects.count() == 0


def test_rules_of_the_guide_are_checked(catalogue):
    m = catalogue["matters"]
    m[0].update(on_the_spot=False, promised_days=20, statutory_days=10)
    m[1].update(fee={"free": False, "amount": None, "basis": ""})
    m[2].update(channels=[])
    m[3]["materials"][0]["form"] = "scan"
    with pytest.raises(ImportRejected) as caught:
        import_matters(catalogue)
    places = {(p.row, p.column) for p in caught.value.report.problems}
    assert places == {(1, "promised_days"), (2, "fee.amount"), (3, "channels"), (4, "materials[1].form")}


def test_unknown_fields_are_refused_rather_than_dropped(catalogue):
    catalogue["matters"][0]["promissed_days"] = 3
    with pytest.raises(ImportRejected) as caught:
        import_matters(catalogue)
    assert caught.value.report.problems[0].column == "promissed_days"


def test_a_dry_run_reports_but_saves_nothing(catalogue):
    report = import_matters(catalogue, dry_run=True)
    assert len(report.created) == 12
    assert Matter.objects.count() == 0 and Revision.objects.count() == 0


def test_the_search_index_is_refreshed_after_commit(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        import_matters(catalogue)
    assert len(callbacks) == 1


def test_export_wipe_import_export_is_byte_identical_json(catalogue):
    import_matters(catalogue)
    first = export_bytes("json")
    Matter.objects.all().delete()
    import_bytes(first, "catalogue.json")
    assert export_bytes("json") == first
    assert json.loads(first)["matters"][0]["code"] == sorted(m["code"] for m in catalogue["matters"])[0]


def test_an_unreadable_json_file_is_refused():
    with pytest.raises(ImportRejected) as caught:
        import_bytes(b"{not json", "x.json")
    assert "cannot be read" in caught.value.report.problems[0].message_en


def test_an_unknown_file_type_is_refused():
    with pytest.raises(ImportRejected) as caught:
        import_bytes(b"a,b", "x.csv")
    assert ".csv" in caught.value.report.problems[0].message_en
