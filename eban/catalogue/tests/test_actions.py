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
