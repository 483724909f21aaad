import copy

import pytest
from wagtail.log_actions import LogContext
from wagtail.models import ModelLogEntry, Revision

from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue import actions
from eban.catalogue.guide import matter_to_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide():
    ensure_reference_data()
    return generate_matters(1, seed=5)["matters"][0]


def test_save_matter_publishes_it_with_a_revision(guide, staff_user):
    matter = actions.save_matter(guide, actor=staff_user)
    assert matter.live and matter.live_revision.user == staff_user
    assert matter_to_dict(matter) == guide
    assert ModelLogEntry.objects.get(action=actions.CREATE).user == staff_user


def test_saving_an_unchanged_guide_writes_nothing(guide):
    actions.save_matter(guide)
    actions.save_matter(copy.deepcopy(guide))
    assert Revision.objects.count() == 1
    assert ModelLogEntry.objects.filter(action__startswith="catalogue.").count() == 1


def test_publishing_in_the_admin_is_audited_with_a_diff_and_reindexed(
    guide, staff_user, django_capture_on_commit_callbacks
):
    matter = actions.save_matter(guide)
    matter.summary = "新的概述"
    with LogContext(user=staff_user), django_capture_on_commit_callbacks() as callbacks:
        revision = matter.save_revision(user=staff_user)
        revision.publish(user=staff_user)
    entry = ModelLogEntry.objects.get(action=actions.PUBLISH)
    assert entry.user == staff_user
    assert entry.data["changes"] == {"summary": {"old": guide["summary"], "new": "新的概述"}}
    assert entry.data["revision"] == revision.pk
    assert len(callbacks) == 1


def test_unpublishing_in_the_admin_is_audited_and_reindexed(
    guide, staff_user, django_capture_on_commit_callbacks
):
    matter = actions.save_matter(guide)
    with LogContext(user=staff_user), django_capture_on_commit_callbacks() as callbacks:
        matter.unpublish(user=staff_user)
    assert ModelLogEntry.objects.get(action=actions.UNPUBLISH).user == staff_user
    assert len(callbacks) == 1


def test_diff_lists_only_changed_fields():
    assert actions.diff({"a": 1, "b": [1]}, {"a": 1, "b": [2]}) == {"b": {"old": [1], "new": [2]}}


def test_block_ids_are_random_version_4_uuids():
    import uuid

    ids = {actions._block_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(uuid.UUID(i).version == 4 and str(uuid.UUID(i)) == i for i in ids)


def test_the_revision_content_is_what_wagtail_would_serialise(guide):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from eban.catalogue.models import Matter

    matter = actions.save_matter(guide)
    ours = Revision.objects.get().content
    # as the revision stores it (a JSONField with Django's encoder)
    theirs = json.loads(
        json.dumps(Matter.objects.get(pk=matter.pk).serializable_data(), cls=DjangoJSONEncoder)
    )
    assert ours.keys() == theirs.keys()
    for key in ("updated_at", "latest_revision", "live_revision"):  # set after the revision is made
        ours.pop(key), theirs.pop(key)
    for name in actions.STREAMS:
        assert json.loads(ours.pop(name)) == json.loads(theirs.pop(name))
    for name in actions.M2M:
        assert sorted(ours.pop(name)) == sorted(theirs.pop(name))
    assert ours == theirs


def test_a_matter_saved_elsewhere_is_compared_in_full_on_the_next_import(guide):
    matter = actions.save_matter(guide)
    assert matter.guide_hash == actions.fingerprint(guide)
    matter.summary = "别处改过的概述"
    matter.save()
    assert matter.guide_hash == ""
    actions.save_matter(copy.deepcopy(guide))
    assert Revision.objects.count() == 2
    assert matter_to_dict(type(matter).objects.get(pk=matter.pk)) == guide


def test_an_unchanged_matter_whose_fingerprint_was_cleared_is_left_alone(guide):
    matter = actions.save_matter(guide)
    matter.save()
    actions.save_matter(copy.deepcopy(guide))
    assert Revision.objects.count() == 1
    assert type(matter).objects.get(pk=matter.pk).guide_hash == actions.fingerprint(guide)


def test_publishing_in_the_admin_keeps_the_fingerprint_of_the_published_guide(guide, staff_user):
    matter = actions.save_matter(guide)
    matter.summary = "新的概述"
    with LogContext(user=staff_user):
        matter.save_revision(user=staff_user).publish(user=staff_user)
    matter.refresh_from_db()
    assert matter.guide_hash == actions.fingerprint(matter_to_dict(matter))
    actions.save_matter(copy.deepcopy(guide))  # the file's older guide comes back
    assert type(matter).objects.get(pk=matter.pk).summary == guide["summary"]
