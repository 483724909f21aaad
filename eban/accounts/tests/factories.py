"""Test data for identity: valid ID numbers and credit codes made on demand, citizens, firms."""

from __future__ import annotations

import datetime
import itertools

from eban.accounts import actions
from eban.accounts.identity.creditcodes import check_character, organisation_check_character
from eban.accounts.identity.idnumbers import check_character as id_check_character
from eban.government.models import Division, DivisionLevel

_sequence = itertools.count(1)


def id_number(
    birth: datetime.date = datetime.date(1980, 1, 1), *, male: bool = True, region: str = "330302"
) -> str:
    """A well-formed ID number (fresh sequence each call) for the birth date and sex."""
    n = next(_sequence) % 500
    sequence = f"{n:02d}{(2 * (n % 5) + (1 if male else 0))}"[-3:]
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    return first17 + id_check_character(first17)


def credit_code(region: str = "330302") -> str:
    org8 = f"MA{next(_sequence):06d}"
    first = "91" + region + org8 + organisation_check_character(org8)
    return first + check_character(first)


def division(code: str = "330302", name: str = "鹿城区", level: str = DivisionLevel.COUNTY) -> Division:
    parent = None
    if len(code) > 6:
        parent = division(
            code[:-3], f"{name}上级", DivisionLevel.COUNTY if len(code) == 9 else DivisionLevel.TOWNSHIP
        )
    return Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )[0]


def citizen(
    name: str = "张三", *, birth: datetime.date = datetime.date(1980, 1, 1), male: bool = True, **extra
):
    return actions.register_citizen(
        actions.CitizenInput(
            name=name, id_number=extra.pop("id_number", None) or id_number(birth, male=male), **extra
        )
    )
