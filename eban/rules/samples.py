"""Sample rule sets for the demo (labelled sample: not an official rule)."""

from __future__ import annotations

import copy
import datetime

from django.utils import timezone

from . import actions
from .models import RuleSet
from .queries import active_rule_set

SENIOR_CARD = "senior-card"
SENIOR_CARD_MATTER = "330300-MZ-0001"  # 老年人优待证申领 in the sample catalogue
SENIOR_CARD_TYPE = "senior_card"  # its certificate type (eban.certificates.actions.ensure_sample_types)

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
        {
            "key": "no-card-yet",
            "check": {"not": {"in": [SENIOR_CARD_TYPE, {"var": "applicant.valid_certificates"}]}},
            "label": {
                "zh-hans": "此前未领取本市老年人优待证",
                "en": "Holds no valid senior citizen card of the city",
            },
            "advice": {
                "zh-hans": "您已持有有效的老年人优待证，无需重复申领；证件遗失或损坏的，请申请补领。",
                "en": "You already hold a valid senior citizen card: there is no need to apply again. If it "
                "is lost or damaged, apply for a replacement.",
            },
        },
        {
            "key": "no-open-application",
            "check": {"not": {"in": [SENIOR_CARD_MATTER, {"var": "applicant.open_applications"}]}},
            "label": {
                "zh-hans": "没有正在办理的老年人优待证申请",
                "en": "No senior citizen card application in progress",
            },
            "advice": {
                "zh-hans": "您已有一件正在办理的老年人优待证申请，请在“我的办件”中查看进度，无需重复提交。",
                "en": "An application for the senior citizen card is already in progress: follow it in "
                '"My applications" instead of applying again.',
            },
        },
    ],
}


def ensure_sample_rules() -> list[RuleSet]:
    """Create (once) and activate the sample rule set `senior-card`; a version loaded earlier by
    this function (made by no one) whose document differs from SENIOR_CARD_RULE gets a new
    version in force from today, so a demo database follows the sample. Idempotent."""
    made = []
    current = active_rule_set(SENIOR_CARD)
    if current is not None and current.created_by_id is None and current.document != SENIOR_CARD_RULE:
        draft = actions.save_draft(
            code=SENIOR_CARD,
            title=current.title,
            title_en=current.title_en,
            document=copy.deepcopy(SENIOR_CARD_RULE),
            valid_from=timezone.localdate(),
            actor=None,
        )
        made.append(actions.activate(draft, actor=None))
    elif not RuleSet.objects.filter(code=SENIOR_CARD).exists():
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
