import pytest

from eban.catalogue.guide import matter_to_dict
from eban.catalogue.testing import make_matter

pytestmark = pytest.mark.django_db


def test_guide_dict_holds_the_structured_parts():
    matter = make_matter(
        name="老年人优待证办理",
        aliases="老年证\n敬老卡",
        themes=("public_service", "civil_affairs"),
        conditions=[{"type": "condition", "value": "年满60周岁"}],
        materials=[
            {
                "type": "material",
                "value": {
                    "name": "居民身份证",
                    "form": "original",
                    "copies": 1,
                    "required": True,
                    "source": "shared",
                    "note": "",
                },
            }
        ],
    )
    matter.refresh_from_db()
    guide = matter_to_dict(matter)
    assert guide["aliases"] == ["老年证", "敬老卡"]
    assert guide["themes"] == ["civil_affairs", "public_service"]
    assert guide["conditions"] == ["年满60周岁"]
    assert guide["materials"][0]["source"] == "shared"
    assert guide["channels"] == ["online", "window"]
    assert guide["fee"] == {"free": True, "amount": None, "basis": ""}
