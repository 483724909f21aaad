import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sample_matters(db):
    from eban.catalogue.testing import make_matter

    return make_matter(code="TEST-0001", name="老年人优待证办理"), make_matter(
        code="TEST-0002", name="户籍证明"
    )
