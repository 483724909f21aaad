"""Generated matters for the benchmarks (labelled as sample data, not official information).

`generate_matters(n, seed=0)` returns a catalogue in the interchange format
(docs/matter-format.md) with realistic Chinese names, aliases, conditions and materials,
built combinatorially from parts; the same `n` and `seed` always give the same catalogue.
It references only the departments and divisions listed here; `ensure_reference_data()`
creates those that are missing (as sample data), so the catalogue imports on an empty database.
"""

from __future__ import annotations

import random
from typing import Any

FORMAT = "eban.matters/1"

CITY = ("330300", "温州市", "Wenzhou")
PROVINCE = ("330000", "浙江省", "Zhejiang")
COUNTIES = [
    ("330302", "鹿城区", "Lucheng District"),
    ("330303", "龙湾区", "Longwan District"),
    ("330304", "瓯海区", "Ouhai District"),
    ("330305", "洞头区", "Dongtou District"),
    ("330324", "永嘉县", "Yongjia County"),
    ("330326", "平阳县", "Pingyang County"),
    ("330327", "苍南县", "Cangnan County"),
    ("330328", "文成县", "Wencheng County"),
    ("330329", "泰顺县", "Taishun County"),
    ("330381", "瑞安市", "Rui'an"),
    ("330382", "乐清市", "Yueqing"),
    ("330383", "龙港市", "Longgang"),
]

# abbreviation -> (city department name, county department suffix or None when city-level only)
DEPARTMENTS = {
    "GA": ("温州市公安局", "公安分局"),
    "RS": ("温州市人力资源和社会保障局", "人力资源和社会保障局"),
    "YB": ("温州市医疗保障局", "医疗保障局"),
    "MZ": ("温州市民政局", "民政局"),
    "SJ": ("温州市市场监督管理局", "市场监督管理局"),
    "ZJ": ("温州市住房和城乡建设局", None),
    "WJ": ("温州市卫生健康委员会", None),
    "SWJ": ("国家税务总局温州市税务局", None),
    "GJJ": ("温州市住房公积金管理中心", None),
    "DSJ": ("温州市大数据发展管理局", None),
    "ZRZY": ("温州市自然资源和规划局", None),
    "JY": ("温州市教育局", None),
    "JT": ("温州市交通运输局", None),
    "SF": ("温州市司法局", None),
    "SMK": ("温州市市民卡服务中心", None),
}

# subject, department, category, themes, life events, audience, aliases of the subject, material
SUBJECTS = [
    ("居民身份证", "GA", "approval", ["household"], ["birth", "moving"], "person", ["身份证"], "户口簿"),
    (
        "居住证",
        "GA",
        "approval",
        ["household", "public_service"],
        ["moving", "employment"],
        "person",
        ["暂住证"],
        "租房合同",
    ),
    ("户籍证明", "GA", "certificate", ["household"], ["moving"], "person", ["户口证明"], "户口簿"),
    (
        "无犯罪记录证明",
        "GA",
        "certificate",
        ["public_service"],
        ["employment", "going_abroad"],
        "person",
        ["无犯罪证明", "良民证"],
        "居民身份证",
    ),
    (
        "港澳通行证签注",
        "GA",
        "approval",
        ["exit_entry"],
        ["going_abroad"],
        "person",
        ["港澳签注", "通行证续签"],
        "往来港澳通行证",
    ),
    (
        "机动车驾驶证",
        "GA",
        "approval",
        ["vehicles", "traffic"],
        ["driving"],
        "person",
        ["驾照", "驾驶证"],
        "体检证明",
    ),
    (
        "机动车违法处理",
        "GA",
        "self_payment",
        ["vehicles", "traffic", "payment"],
        ["driving"],
        "person",
        ["违章处理", "交通罚款"],
        "机动车行驶证",
    ),
    (
        "社会保险参保证明",
        "RS",
        "certificate",
        ["social_security"],
        ["employment", "retirement"],
        "person",
        ["社保证明", "参保证明"],
        "居民身份证",
    ),
    (
        "社会保障卡",
        "RS",
        "approval",
        ["social_security", "citizen_card"],
        ["employment"],
        "person",
        ["社保卡"],
        "近期免冠照片",
    ),
    (
        "失业保险金",
        "RS",
        "approval",
        ["social_security", "employment"],
        ["employment"],
        "person",
        ["失业金"],
        "解除劳动合同证明",
    ),
    (
        "基本养老保险待遇",
        "RS",
        "approval",
        ["social_security"],
        ["retirement", "elderly_care"],
        "person",
        ["退休金", "养老金"],
        "居民身份证",
    ),
    (
        "医保异地就医备案",
        "YB",
        "approval",
        ["health", "social_security"],
        ["medical", "moving"],
        "person",
        ["异地就医", "医保备案"],
        "居民身份证",
    ),
    (
        "医疗费用报销",
        "YB",
        "approval",
        ["health"],
        ["medical"],
        "person",
        ["医药费报销", "医保报销"],
        "医疗费用票据",
    ),
    (
        "城乡居民医保缴费",
        "YB",
        "public_payment",
        ["health", "payment"],
        ["medical"],
        "person",
        ["医保缴费", "交医保"],
        "居民身份证",
    ),
    (
        "老年人优待证",
        "MZ",
        "certificate",
        ["civil_affairs", "public_service"],
        ["elderly_care", "retirement"],
        "person",
        ["老年证", "敬老卡"],
        "居民身份证",
    ),
    (
        "婚姻登记",
        "MZ",
        "approval",
        ["civil_affairs"],
        ["marriage"],
        "person",
        ["结婚登记", "领结婚证"],
        "户口簿",
    ),
    (
        "最低生活保障",
        "MZ",
        "approval",
        ["civil_affairs"],
        ["elderly_care"],
        "person",
        ["低保"],
        "家庭收入证明",
    ),
    (
        "营业执照",
        "SJ",
        "approval",
        ["enterprise"],
        ["start_business"],
        "enterprise",
        ["执照", "工商登记"],
        "公司章程",
    ),
    (
        "食品经营许可证",
        "SJ",
        "approval",
        ["enterprise"],
        ["start_business", "run_business"],
        "enterprise",
        ["食品许可证"],
        "经营场所证明",
    ),
    (
        "建筑工程施工许可",
        "ZJ",
        "approval",
        ["housing", "enterprise"],
        ["run_business"],
        "enterprise",
        ["施工许可证"],
        "建设工程规划许可证",
    ),
    ("商品房预售许可", "ZJ", "approval", ["housing"], ["home"], "enterprise", ["预售证"], "土地使用权证"),
    ("出生医学证明", "WJ", "certificate", ["health"], ["birth"], "person", ["出生证"], "住院分娩记录"),
    ("医师执业注册", "WJ", "approval", ["health"], ["employment"], "person", ["医师注册"], "医师资格证书"),
    (
        "个人所得税纳税记录",
        "SWJ",
        "certificate",
        ["tax"],
        ["employment", "home"],
        "person",
        ["完税证明", "个税证明"],
        "居民身份证",
    ),
    (
        "发票申领",
        "SWJ",
        "approval",
        ["tax", "enterprise"],
        ["run_business"],
        "enterprise",
        ["领发票"],
        "经办人身份证件",
    ),
    (
        "住房公积金提取",
        "GJJ",
        "approval",
        ["housing_fund", "housing"],
        ["home", "retirement"],
        "person",
        ["公积金提取", "取公积金"],
        "购房合同",
    ),
    (
        "住房公积金缴存证明",
        "GJJ",
        "certificate",
        ["housing_fund"],
        ["home"],
        "person",
        ["公积金证明"],
        "居民身份证",
    ),
    (
        "公共数据开放申请",
        "DSJ",
        "approval",
        ["public_service", "enterprise"],
        ["run_business"],
        "both",
        ["数据开放"],
        "数据使用承诺书",
    ),
    ("不动产登记", "ZRZY", "approval", ["housing"], ["home"], "both", ["房产证", "不动产证"], "购房合同"),
    (
        "不动产登记资料查询",
        "ZRZY",
        "certificate",
        ["housing"],
        ["home"],
        "both",
        ["房产查询", "查房产"],
        "居民身份证",
    ),
    (
        "义务教育入学登记",
        "JY",
        "approval",
        ["education"],
        ["schooling"],
        "person",
        ["入学报名", "上学报名"],
        "户口簿",
    ),
    (
        "道路运输经营许可",
        "JT",
        "approval",
        ["traffic", "enterprise"],
        ["run_business"],
        "enterprise",
        ["运输许可"],
        "车辆行驶证",
    ),
    (
        "法律援助",
        "SF",
        "approval",
        ["public_service"],
        ["employment"],
        "person",
        ["法援", "免费律师"],
        "经济困难证明",
    ),
    (
        "市民卡",
        "SMK",
        "approval",
        ["citizen_card"],
        ["moving"],
        "person",
        ["市民卡办理", "公交卡"],
        "居民身份证",
    ),
    (
        "市民卡挂失",
        "SMK",
        "self_payment",
        ["citizen_card", "payment"],
        ["moving"],
        "person",
        ["市民卡丢了", "卡丢失"],
        "居民身份证",
    ),
]

ACTIONS = [
    ("申领", "application"),
    ("补领", "replacement"),
    ("换领", "renewal"),
    ("变更登记", "change of details"),
    ("注销", "cancellation"),
    ("查询", "enquiry"),
    ("开具", "issuance"),
    ("备案", "filing"),
    ("延续", "extension"),
    ("信息更正", "correction of records"),
]

QUALIFIERS = [
    ("", ""),
    ("（个人）", " (individuals)"),
    ("（首次办理）", " (first time)"),
    ("（到期换证）", " (on expiry)"),
    ("（遗失补办）", " (after loss)"),
    ("（跨省通办）", " (across provinces)"),
    ("（港澳台居民）", " (Hong Kong, Macao and Taiwan residents)"),
    ("（外籍人员）", " (foreign nationals)"),
    ("（委托代办）", " (by an agent)"),
    ("（线上办理）", " (online)"),
]

CONDITION_PARTS = [
    "申请人具有本市户籍或持有有效居住证",
    "申请人年满{age}周岁",
    "申请人在本市连续缴纳社会保险满{months}个月",
    "所提交材料真实、有效、完整",
    "无不良信用记录",
    "委托他人办理的，需提供经公证的授权委托书",
    "企业依法登记并处于存续状态",
    "符合国家和省有关规定的其他条件",
]

EXTRA_MATERIALS = [
    ("居民身份证", "original", "shared", "刷脸或刷证即可，无需提交"),
    ("户口簿", "copy", "applicant", ""),
    ("近期免冠照片", "original", "applicant", "二寸白底彩色照片"),
    ("授权委托书", "original", "applicant", "委托办理时提供"),
    ("营业执照", "electronic", "shared", "通过数据共享获取"),
    ("申请表", "original", "applicant", "可在窗口或网上下载填写"),
]

STEPS = [
    ("申请", "申请人通过浙里办、瓯e办自助终端或窗口提交申请"),
    ("受理", "工作人员核对材料，材料齐全的当场受理"),
    ("审核", "承办部门对申请材料进行审核"),
    ("决定", "作出准予或不予办理的决定"),
    ("办结", "通过邮寄、窗口或电子证照方式送达结果"),
]

LAWS = [
    (
        "《中华人民共和国行政许可法》",
        "第二十九条 公民、法人或者其他组织从事特定活动，依法需要取得行政许可的，应当向行政机关提出申请。",
    ),
    ("《浙江省公共数据条例》", "第二十七条 公共管理和服务机构应当依托一体化智能化公共数据平台共享数据。"),
    ("《优化营商环境条例》", "第三十五条 政府及其有关部门应当推进政务服务标准化。"),
]

FAQS = [
    ("可以委托他人办理吗？", "可以，受托人需携带本人身份证件和授权委托书。"),
    ("办理需要多长时间？", "材料齐全的，在承诺时限内办结，可在浙里办查询进度。"),
    ("可以在网上办理吗？", "可以通过浙里办APP或浙江政务服务网在线申请。"),
    ("外地户籍可以办理吗？", "持有本市有效居住证的，可以按规定办理。"),
]


def division_codes() -> list[str]:
    return [CITY[0]] + [code for code, _name, _en in COUNTIES]


def department_codes() -> list[str]:
    codes = [f"{CITY[0]}-{abbr}" for abbr in DEPARTMENTS]
    for county, _name, _en in COUNTIES:
        codes += [f"{county}-{abbr}" for abbr, (_city, suffix) in DEPARTMENTS.items() if suffix]
    return codes


def ensure_reference_data() -> None:
    """Create (as sample data) the divisions and departments the generator uses, if missing."""
    from eban.government.models import Department, Division, DivisionLevel

    province, _ = Division.objects.get_or_create(
        code=PROVINCE[0],
        defaults={
            "name": PROVINCE[1],
            "name_en": PROVINCE[2],
            "level": DivisionLevel.PROVINCE,
            "is_sample": True,
        },
    )
    city, _ = Division.objects.get_or_create(
        code=CITY[0],
        defaults={
            "name": CITY[1],
            "name_en": CITY[2],
            "level": DivisionLevel.CITY,
            "parent": province,
            "is_sample": True,
        },
    )
    counties = {}
    for code, name, name_en in COUNTIES:
        counties[code], _ = Division.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": DivisionLevel.COUNTY,
                "parent": city,
                "is_sample": True,
            },
        )
    for abbr, (name, suffix) in DEPARTMENTS.items():
        Department.objects.get_or_create(
            code=f"{CITY[0]}-{abbr}",
            defaults={
                "name": name,
                "short_name": name.removeprefix("温州市")[:30],
                "division": city,
                "is_sample": True,
            },
        )
        if suffix:
            for code, county_name, _en in COUNTIES:
                Department.objects.get_or_create(
                    code=f"{code}-{abbr}",
                    defaults={
                        "name": county_name + suffix,
                        "short_name": suffix[:30],
                        "division": counties[code],
                        "is_sample": True,
                    },
                )


def _matter(i: int, rng: random.Random) -> dict[str, Any]:
    subject, abbr, category, themes, events, audience, aliases, material = SUBJECTS[i % len(SUBJECTS)]
    action, action_en = ACTIONS[(i // len(SUBJECTS)) % len(ACTIONS)]
    qualifier, qualifier_en = QUALIFIERS[(i // (len(SUBJECTS) * len(ACTIONS))) % len(QUALIFIERS)]
    city_level = DEPARTMENTS[abbr][1] is None or rng.random() < 0.4
    county_code, county_name, _en = COUNTIES[rng.randrange(len(COUNTIES))]
    division = CITY[0] if city_level else county_code
    place_name = CITY[1] if city_level else county_name
    department = f"{division}-{abbr}"
    name = f"{subject}{action}{qualifier}"
    if len(name) > 200:  # never, but keep the rule visible
        name = name[:200]

    on_the_spot = rng.random() < 0.35
    statutory = None if on_the_spot else rng.choice([5, 10, 15, 20, 30])
    promised = None if on_the_spot else rng.randint(1, statutory)
    free = rng.random() < 0.8
    age = rng.choice([16, 18, 60, 65, 70])
    months = rng.choice([6, 12, 24])
    conditions = [c.format(age=age, months=months) for c in rng.sample(CONDITION_PARTS, rng.randint(1, 4))]
    materials = [
        {
            "name": material,
            "form": rng.choice(["original", "copy"]),
            "copies": rng.randint(1, 2),
            "required": True,
            "source": "applicant",
            "note": "",
        }
    ]
    for m_name, form, source, note in rng.sample(EXTRA_MATERIALS, rng.randint(1, 3)):
        if m_name != material:
            materials.append(
                {
                    "name": m_name,
                    "form": form,
                    "copies": 0 if source == "shared" else 1,
                    "required": rng.random() < 0.7,
                    "source": source,
                    "note": note,
                }
            )
    chosen = {"online", "window"} | ({"kiosk"} if rng.random() < 0.5 else set())
    if rng.random() < 0.1:
        chosen.add("overseas")
    channels = [c for c in ("kiosk", "online", "window", "overseas") if c in chosen]
    steps = STEPS[: 2 if on_the_spot else rng.randint(3, 5)]
    return {
        "code": f"BENCH-{department}-{i:05d}",
        "name": name,
        "name_en": f"{subject} {action_en}{qualifier_en} (generated)",
        "short_name": subject[:60],
        "aliases": [a + action for a in aliases],
        "keywords": [subject, action, place_name],
        "summary": f"{place_name}{name}的办事指南（基准测试生成的示例数据）。",
        "category": category,
        "themes": sorted(themes),
        "audience": audience,
        "life_events": sorted(events),
        "department": department,
        "divisions": [division],
        "channels": channels,
        "trips": 0 if "online" in channels and rng.random() < 0.7 else 1,
        "on_the_spot": on_the_spot,
        "statutory_days": statutory,
        "promised_days": promised,
        "fee": (
            {"free": True, "amount": None, "basis": ""}
            if free
            else {
                "free": False,
                "amount": f"{rng.choice([5, 10, 20, 50, 80])}.00",
                "basis": "按省物价部门核定标准收取",
            }
        ),
        "legal_basis": [{"title": t, "article": a} for t, a in rng.sample(LAWS, rng.randint(1, 2))],
        "conditions": conditions,
        "materials": materials,
        "process": [{"title": t, "description": d} for t, d in steps],
        "place": f"{place_name}行政服务中心综合窗口，瓯e办自助终端",
        "hours": "工作日 上午9:00-12:00，下午13:30-17:00",
        "consult_phone": "0577-12345",
        "complaint_phone": "0577-12345",
        "faq": [{"question": q, "answer": a} for q, a in rng.sample(FAQS, rng.randint(0, 2))],
        "is_sample": True,
    }


def generate_matters(n: int, seed: int = 0) -> dict[str, Any]:
    """A catalogue of `n` generated matters in the interchange format (deterministic for a seed)."""
    rng = random.Random(seed)
    return {"format": FORMAT, "matters": [_matter(i, rng) for i in range(n)]}
