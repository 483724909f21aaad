"""The sample certificate types (demonstration data): the senior citizen card and certificates (证明)
of common instant matters. Loaded by `actions.ensure_sample_types()` (called by the demo's sample
loading); the departments are those of eban/demo/sample/departments.json."""

from __future__ import annotations

SAMPLE_TYPES = [
    {
        "code": "senior_card",
        "name": "老年人优待证",
        "name_en": "Senior citizen card",
        "number_prefix": "LNYD",
        "department": "330300-MZ",
        "template": "senior_card",
        "validity_days": None,  # 长期: the card does not expire
    },
    {
        "code": "household_registration_certificate",
        "name": "户籍证明",
        "name_en": "Certificate of household registration",
        "number_prefix": "HJZM",
        "department": "330300-GA",
        "template": "generic",
        "validity_days": 90,
    },
    {
        "code": "social_insurance_enrolment_certificate",
        "name": "社会保险参保证明",
        "name_en": "Certificate of social insurance enrolment",
        "number_prefix": "SBCB",
        "department": "330300-RS",
        "template": "generic",
        "validity_days": 90,
    },
    {
        "code": "personal_contribution_certificate",
        "name": "社会保险个人缴费证明",
        "name_en": "Certificate of personal social insurance contributions",
        "number_prefix": "GRJF",
        "department": "330300-RS",
        "template": "generic",
        "validity_days": 90,
    },
    {
        "code": "medical_insurance_enrolment_certificate",
        "name": "医疗保险参保证明",
        "name_en": "Certificate of medical insurance enrolment",
        "number_prefix": "YBCB",
        "department": "330300-YB",
        "template": "generic",
        "validity_days": 90,
    },
    {
        "code": "housing_fund_deposit_certificate",
        "name": "住房公积金缴存证明",
        "name_en": "Certificate of housing provident fund deposits",
        "number_prefix": "GJJC",
        "department": "330300-GJJ",
        "template": "generic",
        "validity_days": 90,
    },
    {
        "code": "no_criminal_record_certificate",
        "name": "无犯罪记录证明",
        "name_en": "Certificate of no criminal record",
        "number_prefix": "WFZJ",
        "department": "330300-GA",
        "template": "generic",
        "validity_days": 180,
    },
]
