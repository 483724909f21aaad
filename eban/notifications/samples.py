"""The texts eban ships for each kind of message, in Chinese and English (version 1 of each
template). Staff edit them in the back office (each edit is a new version).

`ensure_sample_templates()` creates every (code, channel, language) that has no version yet,
and leaves the others alone (edited or taken out of use by staff): migration 0002 runs it, and
the demo loader may run it again (after a flush, say). Idempotent.

SMS texts start with the signature (【e办】 / [eban]) that carriers require.
"""

from __future__ import annotations

from django.apps import apps as global_apps

SMS, INBOX, EMAIL = "sms", "inbox", "email"
ZH, EN = "zh-hans", "en"

_CASE_ZH = "您申请的“{matter}”（办件编号{case_number}）"
_CASE_EN = "Your application for {matter} (case {case_number})"

# code -> channel -> language -> (subject, body)
SAMPLES: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    "application.submitted": {
        SMS: {
            ZH: ("", "【e办】您申请的“{matter}”已提交，办件编号{case_number}。我们将在{deadline}前告知您是否受理。"),
            EN: ("", "[eban] Your application for {matter} was submitted: case {case_number}. "
                     "You will hear by {deadline} whether it is accepted."),
        },
        INBOX: {
            ZH: ("申请已提交：{matter}",
                 _CASE_ZH + "已提交。\n\n部门将在{deadline}前决定是否受理，结果会通过短信和站内消息告诉您。"
                 "您可以在“我的办件”中随时查看进度。"),
            EN: ("Application submitted: {matter}",
                 _CASE_EN + " was submitted.\n\nThe department will decide by {deadline} whether to accept it; "
                 "you will be told by text message and here. You can follow it in \"My applications\"."),
        },
    },
    "application.accepted": {
        SMS: {
            ZH: ("", "【e办】" + _CASE_ZH + "已受理，将于{deadline}前办结。"),
            EN: ("", "[eban] " + _CASE_EN + " was accepted. It will be decided by {deadline}."),
        },
        INBOX: {
            ZH: ("申请已受理：{matter}",
                 _CASE_ZH + "已受理（受理不代表审批通过）。\n\n承诺办结日期：{deadline}。"
                 "如需补正材料，我们会告诉您需要补什么。"),
            EN: ("Application accepted: {matter}",
                 _CASE_EN + " was accepted for review (this is not yet a decision).\n\n"
                 "It will be decided by {deadline}. If anything is missing, we will tell you exactly what."),
        },
    },
    "application.declined": {
        SMS: {
            ZH: ("", "【e办】" + _CASE_ZH + "未予受理。原因：{reasons}。救济途径：{appeal_route}"),
            EN: ("", "[eban] " + _CASE_EN + " was not accepted. Reasons: {reasons}. To appeal: {appeal_route}"),
        },
        INBOX: {
            ZH: ("申请未予受理：{matter}",
                 _CASE_ZH + "未予受理。\n\n原因：{reasons}\n\n救济途径：{appeal_route}"),
            EN: ("Application not accepted: {matter}",
                 _CASE_EN + " was not accepted.\n\nReasons: {reasons}\n\nTo appeal: {appeal_route}"),
        },
    },
    "application.supplement_requested": {
        SMS: {
            ZH: ("", "【e办】" + _CASE_ZH + "需要补正：{items}。请于{deadline}前登录e办补正，补正期间办理时限暂停计算。"),
            EN: ("", "[eban] " + _CASE_EN + " needs: {items}. Please supply it on eban by {deadline}; "
                     "the time limit is paused until then."),
        },
        INBOX: {
            ZH: ("请补正材料：{matter}",
                 _CASE_ZH + "需要补正以下内容：\n\n{items}\n\n请于{deadline}前登录e办，在“我的办件”中补正。"
                 "补正期间办理时限暂停计算，补正后继续。"),
            EN: ("Please supply more: {matter}",
                 _CASE_EN + " needs the following:\n\n{items}\n\nPlease supply it by {deadline} in \"My "
                 "applications\". The time limit is paused until you do, then runs on."),
        },
    },
    "application.approved": {
        SMS: {
            ZH: ("", "【e办】" + _CASE_ZH + "已审批通过。"),
            EN: ("", "[eban] " + _CASE_EN + " was approved."),
        },
        INBOX: {
            ZH: ("申请已通过：{matter}", _CASE_ZH + "已审批通过。办结后您可以在“我的办件”中查看结果。"),
            EN: ("Application approved: {matter}",
                 _CASE_EN + " was approved. You will find the result in \"My applications\"."),
        },
    },
    "application.rejected": {
        SMS: {
            ZH: ("", "【e办】" + _CASE_ZH + "未获批准。理由：{reasons}。救济途径：{appeal_route}"),
            EN: ("", "[eban] " + _CASE_EN + " was refused. Reasons: {reasons}. To appeal: {appeal_route}"),
        },
        INBOX: {
            ZH: ("申请未获批准：{matter}",
                 _CASE_ZH + "未获批准。\n\n理由：{reasons}\n\n如对本决定不服，救济途径：{appeal_route}"),
            EN: ("Application refused: {matter}",
                 _CASE_EN + " was refused.\n\nReasons: {reasons}\n\nIf you disagree with this decision: "
                 "{appeal_route}"),
        },
    },
    "application.completed": {
        SMS: {
            ZH: ("", "【e办】" + _CASE_ZH + "已办结。欢迎登录e办对本次服务进行评价。"),
            EN: ("", "[eban] " + _CASE_EN + " is complete. Please rate our service on eban."),
        },
        INBOX: {
            ZH: ("已办结：{matter}",
                 _CASE_ZH + "已办结。\n\n请在“我的办件”中对本次服务评价（1至5星），您的意见会转给办理部门。"),
            EN: ("Complete: {matter}",
                 _CASE_EN + " is complete.\n\nPlease rate the service (1 to 5 stars) in \"My applications\": "
                 "the department reads every rating."),
        },
    },
    "certificate.issued": {
        SMS: {
            ZH: ("", "【e办】您的“{matter}”电子证照已签发，证照编号{certificate_number}，可登录e办下载。核验：{verify_url}"),
            EN: ("", "[eban] Your certificate for {matter} was issued: number {certificate_number}. "
                     "Download it on eban. Verify: {verify_url}"),
        },
        INBOX: {
            ZH: ("电子证照已签发：{matter}",
                 "您的“{matter}”电子证照已签发（办件编号{case_number}）。\n\n证照编号：{certificate_number}\n"
                 "您可以在“我的办件”中下载。任何人都可以在{verify_url}核验其真伪。"),
            EN: ("Certificate issued: {matter}",
                 "Your certificate for {matter} was issued (case {case_number}).\n\n"
                 "Certificate number: {certificate_number}\nDownload it in \"My applications\". "
                 "Anyone can check it is genuine at {verify_url}"),
        },
        EMAIL: {
            ZH: ("【e办】电子证照已签发：{matter}",
                 "您好：\n\n您的“{matter}”电子证照已签发（办件编号{case_number}）。\n\n证照编号：{certificate_number}\n"
                 "核验地址：{verify_url}\n\n请登录e办，在“我的办件”中下载。本邮件由系统发出，请勿回复。"),
            EN: ("[eban] Certificate issued: {matter}",
                 "Hello,\n\nYour certificate for {matter} was issued (case {case_number}).\n\n"
                 "Certificate number: {certificate_number}\nVerify it at: {verify_url}\n\n"
                 "Sign in to eban to download it from \"My applications\". This e-mail was sent automatically; "
                 "please do not reply."),
        },
    },
    "rating.follow_up_reply": {
        SMS: {
            ZH: ("", "【e办】您对“{matter}”（办件编号{case_number}）的评价已收到部门回复，请登录e办查看。"),
            EN: ("", "[eban] The department replied to your rating of {matter} (case {case_number}). "
                     "Read it on eban."),
        },
        INBOX: {
            ZH: ("部门回复了您的评价：{matter}",
                 "您对“{matter}”（办件编号{case_number}）的评价，部门回复如下：\n\n{reply}"),
            EN: ("The department replied to your rating: {matter}",
                 "About your rating of {matter} (case {case_number}), the department replies:\n\n{reply}"),
        },
    },
    "case.escalated": {
        INBOX: {
            ZH: ("办件超期：{case_number}",
                 "办件{case_number}（{matter}）已超过办理时限（{deadline}），已上报{department}管理员。请尽快处理。"),
            EN: ("Case overdue: {case_number}",
                 "Case {case_number} ({matter}) passed its time limit ({deadline}) and was reported to the "
                 "administrators of {department}. Please deal with it now."),
        },
        EMAIL: {
            ZH: ("【e办】办件超期：{case_number}",
                 "办件{case_number}（{matter}）已超过办理时限（{deadline}），已上报{department}管理员。\n\n"
                 "请登录后台处理。本邮件由系统发出，请勿回复。"),
            EN: ("[eban] Case overdue: {case_number}",
                 "Case {case_number} ({matter}) passed its time limit ({deadline}) and was reported to the "
                 "administrators of {department}.\n\nPlease deal with it in the back office. This e-mail was "
                 "sent automatically; please do not reply."),
        },
    },
    "rating.low": {
        INBOX: {
            ZH: ("差评待回访：{case_number}",
                 "办件{case_number}（{matter}）收到申请人的差评（1或2星）。请{department}于{deadline}前回访并在后台答复申请人。"),
            EN: ("Low rating to follow up: {case_number}",
                 "Case {case_number} ({matter}) was rated 1 or 2 stars by the applicant. {department} must follow "
                 "it up and reply to the applicant in the back office by {deadline}."),
        },
    },
}  # fmt: skip


def ensure_sample_templates(*, apps=global_apps) -> int:
    """Create version 1 of every sample template that has no version yet; return how many."""
    Template = apps.get_model("notifications", "Template")
    existing = set(Template.objects.values_list("code", "channel", "language").distinct())
    new = [
        Template(
            code=code, channel=channel, language=language, version=1, subject=subject, body=body, active=True
        )
        for code, by_channel in SAMPLES.items()
        for channel, by_language in by_channel.items()
        for language, (subject, body) in by_language.items()
        if (code, channel, language) not in existing
    ]
    Template.objects.bulk_create(new)
    return len(new)
