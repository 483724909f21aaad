"""Reference lists seeded by migration (editable afterwards in the back office)."""

THEMES = [
    ("traffic", "交通出行", "Transport"),
    ("social_security", "社保", "Social security"),
    ("citizen_card", "市民卡", "Citizen card"),
    ("housing", "住房", "Housing"),
    ("housing_fund", "公积金", "Housing provident fund"),
    ("health", "健康医疗", "Health care"),
    ("payment", "统一支付", "Unified payment"),
    ("household", "户籍", "Household registration"),
    ("exit_entry", "出入境", "Exit and entry"),
    ("vehicles", "车驾管", "Vehicles and driving"),
    ("public_service", "公共服务", "Public services"),
    ("civil_affairs", "民政", "Civil affairs"),
    ("education", "教育", "Education"),
    ("employment", "就业创业", "Employment and business start-up"),
    ("tax", "税务", "Tax"),
    ("enterprise", "企业服务", "Enterprise services"),
]

# (code, name, English name, audience)
LIFE_EVENTS = [
    ("birth", "出生", "Birth", "person"),
    ("schooling", "上学", "Going to school", "person"),
    ("employment", "就业", "Getting a job", "person"),
    ("marriage", "婚育", "Marriage and children", "person"),
    ("home", "安居", "Buying or renting a home", "person"),
    ("driving", "出行", "Travel and driving", "person"),
    ("medical", "就医", "Seeing a doctor", "person"),
    ("going_abroad", "出国出境", "Going abroad", "person"),
    ("retirement", "退休", "Retirement", "person"),
    ("elderly_care", "养老", "Old age and care", "person"),
    ("moving", "迁居", "Moving house", "person"),
    ("after_death", "身后事", "After a death", "person"),
    ("start_business", "开办企业", "Starting a business", "enterprise"),
    ("run_business", "经营发展", "Running a business", "enterprise"),
    ("close_business", "注销退出", "Closing a business", "enterprise"),
]
