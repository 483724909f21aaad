"""Sample rule sets for the demo (labelled sample: not an official rule)."""

from __future__ import annotations

import copy
import datetime

from . import actions
from .models import RuleSet

SENIOR_CARD = "senior-card"

SENIOR_CARD_RULE = {
    "combine": "all",
    "conditions": [
        {
            "key": "age",
            "check": {">=": [{"var": "applicant.age"}, 60]},
            "label": {"zh-hans": "年满60周岁", "en": "Aged 60 or over"},
            "advice": {
                "zh-hans": "年满60周岁后即可申领老年人优待证。",
                "en": "You can apply for the senior citizen card from your 60th birthday.",
            },
        },
        {
            "key": "household",
            "check": {"startsWith": [{"var": "applicant.household_division"}, "3303"]},
            "label": {"zh-hans": "温州市户籍", "en": "Household registration in Wenzhou"},
            "advice": {
                "zh-hans": "请向户籍所在地申领；常住温州的外地老年人，可凭居住证到所在社区咨询。",
                "en": "Apply where your household is registered; if you live in Wenzhou with a residence "
                "permit, ask your community service centre.",
            },
        },
    ],
}


def ensure_sample_rules() -> list[RuleSet]:
    """Create (once) and activate the sample rule sets: `senior-card` v1. Idempotent."""
    made = []
    if not RuleSet.objects.filter(code=SENIOR_CARD).exists():
        draft = actions.save_draft(
            code=SENIOR_CARD,
            title="老年人优待证申领条件（示例）",
            title_en="Senior citizen card eligibility (sample)",
            document=copy.deepcopy(SENIOR_CARD_RULE),
            valid_from=datetime.date(2020, 1, 1),
            actor=None,
        )
        made.append(actions.activate(draft, actor=None))
    return made
