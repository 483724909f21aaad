"""`eban reindex` rebuilds the index of the published matters."""

from io import StringIO

from django.core.management import call_command

from eban.catalogue.queries import find_matters
from eban.catalogue.testing import make_matter


def test_reindex_command_indexes_published_matters_only(db):
    make_matter(name="老年人优待证办理")
    make_matter(name="老年人优待证注销", live=False)
    out = StringIO()
    call_command("reindex", stdout=out)
    assert "1" in out.getvalue()
    assert [m.name for m in find_matters("优待证").matters] == ["老年人优待证办理"]
