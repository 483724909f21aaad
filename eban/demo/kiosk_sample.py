"""The kiosk network's sample data: terminals and settlements around Wenzhou's real town centres.

A deterministic generator (seeded random): it reads `sample/towns.json` (approximate town
centres) and `sample/divisions.json`, and writes `sample/terminals.json` and
`sample/settlements.json`. Both files are committed; a test checks they are exactly what this
module produces. Run it again after changing a town, a division or a rule below:

    .venv/bin/python -m eban.demo.kiosk_sample

Everything it writes is SAMPLE data: the places are invented (their names say 样例/sample), only
the towns around which they stand are real. Pure Python: no Django needed.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SEED = 5_2026
TERMINALS_FORMAT = "eban.terminals/1"
SETTLEMENTS_FORMAT = "eban.settlements/1"
TARGET_TERMINALS = 1_050
TARGET_SETTLEMENTS = 2_500
CITY = "330300"
LONGGANG = "330383"  # no township level: its communities hang under the city
ZH_SAMPLE, EN_SAMPLE = "（样例）", " (sample)"

# How busy each county is with "other public places" (banks, hospitals, shops, stations): the
# urban districts most.
URBAN_WEIGHT = {
    "330302": 6.0, "330303": 4.0, "330304": 4.0, "330305": 0.8, "330324": 2.0, "330326": 2.2,
    "330327": 2.2, "330328": 0.8, "330329": 0.8, "330381": 3.2, "330382": 3.2, "330383": 5.0,
}  # fmt: skip
URBAN_COUNTIES = {"330302", "330303", "330304"}
MOUNTAIN_COUNTIES = {"330324", "330328", "330329"}  # 永嘉, 文成, 泰顺: remote mountain villages
ISLAND_COUNTIES = {"330305"}  # 洞头: small islands, everything close to the town centre

# Opening hours (the JSON of eban.kiosks.models.Terminal).
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFFICE = [["08:30", "12:00"], ["13:30", "17:30"]]
MORNING = [["08:30", "12:00"]]


def weekly(weekdays, saturday=(), sunday=(), holidays=None) -> dict[str, Any]:
    hours: dict[str, Any] = {
        "weekly": {
            day: [list(p) for p in (weekdays if i < 5 else saturday if i == 5 else sunday)]
            for i, day in enumerate(DAYS)
        }
    }
    if holidays is not None:
        hours["holidays"] = [list(p) for p in holidays]
    return hours


ALWAYS = {"always": True}

# Matters offered where a terminal does not offer them all (most rows: [] = every kiosk matter).
HOSPITAL_MATTERS = [
    "330300-YB-0001", "330300-YB-0003", "330300-YB-0004", "330300-RS-0001", "330300-RS-0002",
    "330300-MZ-0001",
]  # fmt: skip
STATION_MATTERS = ["330300-GA-0011", "330300-GA-0016", "330300-GA-0101", "330300-SMK-0001", "330300-SMK-0005"]

# Other public places: (key, Chinese name pattern, English pattern, weight)
PLACES = [
    ("bank", "{bank}{town}支行", "{bank_en} {town_en} Branch", 30),
    ("hospital", "{town}医院门诊大厅", "{town_en} Hospital outpatient hall", 9),
    ("market", "{shop}{town}店", "{shop_en} {town_en}", 22),
    ("station", "{town}汽车客运站", "{town_en} Bus Station", 6),
    ("zone", "{town}24小时自助服务区", "{town_en} 24-hour self-service area", 13),
    ("post", "中国邮政{town}营业所", "China Post {town_en} office", 8),
    ("plaza", "{town}文化广场服务亭", "{town_en} Culture Square service booth", 6),
]
BANKS = [
    ("中国工商银行", "ICBC"),
    ("中国农业银行", "Agricultural Bank of China"),
    ("中国建设银行", "China Construction Bank"),
    ("温州银行", "Bank of Wenzhou"),
    ("农商银行", "Rural Commercial Bank"),
]
SHOPS = [
    ("华联超市", "Hualian Supermarket"),
    ("联华超市", "Lianhua Supermarket"),
    ("供销超市", "Co-op Supermarket"),
]
ROADS = [
    "人民路", "解放路", "新华路", "文化路", "建设路", "府前路", "中山路", "兴业路", "环城路",
    "学院路", "车站大道", "时代大道", "康乐路", "振兴路", "滨江路", "锦绣路",
]  # fmt: skip

# Syllables of the sample settlement names (xx村 / xx社区).
NAME_FIRST = "上下东西南北前后新大小中石山溪岭桥塘湖龙凤金银云梅竹松林茶花桃柳"
NAME_SECOND = "岙垟洋坑头湾田岭溪山桥塘园庄埠岩坪垄源门浦港坦底阳"


# --- geometry ---------------------------------------------------------------------------------


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (as eban.kiosks.geo.haversine_m, without importing Django)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h)))


def offset(rng: random.Random, lat: float, lng: float, low_m: float, high_m: float) -> tuple[float, float]:
    """A point between low_m and high_m from (lat, lng) in a random direction, 5 decimals."""
    d = rng.uniform(low_m, high_m)
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = d * math.cos(bearing) / 111_320.0
    dlng = d * math.sin(bearing) / (111_320.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lng + dlng, 5)


# --- reading ----------------------------------------------------------------------------------


def read(name: str) -> dict[str, Any]:
    return json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8"))


class Places:
    """Divisions and town centres, indexed."""

    def __init__(self, towns: dict[str, Any], divisions: dict[str, Any]) -> None:
        self.division = {d["code"]: d for d in divisions["divisions"]}
        self.town = {t["code"]: t for t in towns["towns"]}
        self.counties = [d for d in divisions["divisions"] if d["level"] == "county"]
        self.townships = {
            c["code"]: [
                d for d in divisions["divisions"] if d["level"] == "township" and d["parent"] == c["code"]
            ]
            for c in self.counties
        }
        self.villages = [d for d in divisions["divisions"] if d["level"] == "village"]

    def centre_of(self, code: str) -> tuple[float, float]:
        town = self.town[code]
        return town["lat"], town["lng"]

    def towns_of(self, county: str) -> list[dict[str, Any]]:
        """The county's townships, or the county itself where it has none (龙港)."""
        return self.townships[county] or [self.division[county]]


def county_of(code: str) -> str:
    return code[:6]


def spread(county: str) -> float:
    return 0.35 if county in ISLAND_COUNTIES else 1.0


# --- terminals --------------------------------------------------------------------------------


class TerminalMaker:
    def __init__(self, places: Places, rng: random.Random) -> None:
        self.places, self.rng = places, rng
        self.rows: list[dict[str, Any]] = []
        self.numbers: dict[str, int] = {}
        self.names: dict[str, int] = {}

    def code(self, division: str) -> str:
        self.numbers[division] = self.numbers.get(division, 0) + 1
        return f"WZ-{division}-{self.numbers[division]:03d}"

    def address(self, county: str, town: str, place: str = "") -> str:
        county_name = self.places.division[county]["name"] if county != CITY else ""
        town_name = town if town != county_name else ""
        road = self.rng.choice(ROADS)
        number = self.rng.randint(1, 399)
        return f"浙江省温州市{county_name}{town_name}{road}{number}号{place}（样例地址）"

    def hardware(self, *, scanner: float, payment: float, camera: float = 0.85) -> list[str]:
        rng = self.rng
        fitted = ["id_reader"]
        if rng.random() < camera:
            fitted.append("camera")
        fitted.append("printer")
        if rng.random() < scanner:
            fitted.append("scanner")
        if rng.random() < payment:
            fitted.append("payment")
        return fitted

    def centre_hours(self) -> dict[str, Any]:
        rng = self.rng
        saturday = MORNING if rng.random() < 0.35 else []
        holidays = MORNING if rng.random() < 0.25 else []
        return weekly(OFFICE, saturday, [], holidays)

    def add(self, *, division: str, level: str, name: str, name_en: str, address: str, lat: float,
            lng: float, hardware: list[str], hours: dict[str, Any], matters: list[str] | None = None) -> None:  # fmt: skip
        self.rows.append(
            {
                "code": self.code(division),
                "name": name + ZH_SAMPLE,
                "name_en": name_en + EN_SAMPLE,
                "level": level,
                "division": division,
                "address": address,
                "lat": lat,
                "lng": lng,
                "hardware": hardware,
                "opening_hours": hours,
                "matters": matters or [],
                "is_sample": True,
            }
        )

    def city_centre(self) -> None:
        lat, lng = self.places.centre_of(CITY)
        for i in range(1, 7):
            p = offset(self.rng, lat, lng, 0, 120)
            hours = ALWAYS if i == 6 else weekly(OFFICE, MORNING, [], [])
            name = "温州市民中心24小时自助服务区" if i == 6 else f"温州市民中心自助服务区{i}号机"
            name_en = (
                "Wenzhou Citizen Centre 24-hour self-service area"
                if i == 6
                else f"Wenzhou Citizen Centre self-service area, kiosk {i}"
            )
            self.add(
                division=CITY, level="city", name=name, name_en=name_en,
                address="浙江省温州市鹿城区市府路500号温州市民中心一楼（样例地址）", lat=p[0], lng=p[1],
                hardware=["id_reader", "camera", "printer", "scanner", "payment"], hours=hours,
            )  # fmt: skip

    def county_centres(self) -> None:
        for county in self.places.counties:
            code, name, name_en = county["code"], county["name"], county["name_en"]
            lat, lng = self.places.centre_of(code)
            address = self.address(code, name, f"{name}行政服务中心")
            for i in range(1, self.rng.randint(2, 4) + 1):
                p = offset(self.rng, lat, lng, 0, 300)
                self.add(
                    division=code, level="county", name=f"{name}行政服务中心{i}号机",
                    name_en=f"{name_en} Administrative Service Centre, kiosk {i}", address=address,
                    lat=p[0], lng=p[1], hardware=self.hardware(scanner=0.9, payment=0.6, camera=1.0),
                    hours=self.centre_hours(),
                )  # fmt: skip

    def township_centres(self) -> None:
        for county in self.places.counties:
            for town in self.places.townships[county["code"]]:
                lat, lng = self.places.centre_of(town["code"])
                kind = "便民服务中心"
                address = self.address(county["code"], town["name"], f"{town['name']}{kind}")
                hours = self.centre_hours()
                for i in range(1, self.rng.randint(1, 3) + 1):
                    p = offset(self.rng, lat, lng, 0, 250)
                    self.add(
                        division=town["code"], level="township", name=f"{town['name']}{kind}{i}号机",
                        name_en=f"{town['name_en']} Service Centre, kiosk {i}", address=address,
                        lat=p[0], lng=p[1], hardware=self.hardware(scanner=0.7, payment=0.3), hours=hours,
                    )  # fmt: skip

    def village_points(self) -> None:
        places = self.places
        for village in places.villages:
            parent = village["parent"]
            county = county_of(village["code"])
            lat, lng = places.centre_of(parent)
            factor = spread(county)
            p = offset(self.rng, lat, lng, 500 * max(factor, 1.0), 4000 * factor)
            town = places.division[parent]
            self.add(
                division=village["code"], level="village", name=f"{town['name']}{village['name']}便民服务点",
                name_en=f"{town['name_en']} {village['name_en']} service point",
                address=self.address(county, town["name"], f"{village['name']}党群服务中心"),
                lat=p[0], lng=p[1], hardware=self.hardware(scanner=0.2, payment=0.15, camera=0.7),
                hours=weekly([["08:30", "11:30"], ["14:00", "17:00"]], [], [], []),
            )  # fmt: skip

    def other_places(self, count: int) -> None:
        places, rng = self.places, self.rng
        slots = []  # (town division, county, weight)
        for county in places.counties:
            towns = places.towns_of(county["code"])
            for town in towns:
                weight = URBAN_WEIGHT[county["code"]] / len(towns) * 6
                if town["code"] in places.town and town["name"].endswith("街道"):
                    weight *= 1.3
                slots.append((town, county["code"], weight))
        total = sum(w for *_rest, w in slots)
        allotted = [max(1, round(count * w / total)) for *_rest, w in slots]
        while sum(allotted) > count:  # trim the largest (rounding)
            allotted[allotted.index(max(allotted))] -= 1
        while sum(allotted) < count:
            allotted[allotted.index(max(allotted))] += 1
        kinds, weights = [p[0] for p in PLACES], [p[3] for p in PLACES]
        patterns = {p[0]: (p[1], p[2]) for p in PLACES}
        for (town, county, _w), n in zip(slots, allotted, strict=True):
            lat, lng = places.centre_of(town["code"])
            urban = county in URBAN_COUNTIES or county == LONGGANG
            reach = (3000 if urban else 2200) * spread(county)
            for kind in rng.choices(kinds, weights, k=n):
                bank, bank_en = rng.choice(BANKS)
                shop, shop_en = rng.choice(SHOPS)
                fields = {"town": town["name"], "town_en": town["name_en"], "bank": bank, "bank_en": bank_en,
                          "shop": shop, "shop_en": shop_en}  # fmt: skip
                zh, en = (pattern.format(**fields) for pattern in patterns[kind])
                self.names[zh] = self.names.get(zh, 0) + 1
                if self.names[zh] > 1:  # a second kiosk at the same place
                    zh, en = f"{zh}{self.names[zh]}号机", f"{en}, kiosk {self.names[zh]}"
                matters: list[str] = []
                if kind == "zone" or (kind == "bank" and rng.random() < 0.2):
                    hours: dict[str, Any] = ALWAYS
                elif kind == "bank":
                    hours = weekly([["09:00", "17:00"]], [["09:00", "16:00"]], [["09:00", "16:00"]], [])
                elif kind == "hospital":
                    hours = weekly([["07:30", "17:00"]], [["07:30", "11:30"]], [["07:30", "11:30"]], MORNING)
                    matters = HOSPITAL_MATTERS
                elif kind == "station":
                    hours = weekly([["06:30", "18:30"]], [["06:30", "18:30"]], [["06:30", "18:30"]])
                    matters = STATION_MATTERS
                elif kind == "market":
                    hours = weekly([["08:00", "21:00"]], [["08:00", "21:30"]], [["08:00", "21:30"]])
                elif kind == "post":
                    hours = weekly([["08:30", "17:00"]], [["09:00", "12:00"]], [], [])
                else:
                    hours = weekly([["08:00", "20:00"]], [["08:00", "20:00"]], [["08:00", "20:00"]])
                p = offset(rng, lat, lng, 150, reach)
                self.add(
                    division=town["code"], level="other", name=zh, name_en=en,
                    address=self.address(county, town["name"], zh), lat=p[0], lng=p[1],
                    hardware=self.hardware(scanner=0.25, payment=0.9 if kind == "bank" else 0.25),
                    hours=hours, matters=matters,
                )  # fmt: skip


def make_terminals(places: Places, rng: random.Random) -> list[dict[str, Any]]:
    maker = TerminalMaker(places, rng)
    maker.city_centre()
    maker.county_centres()
    maker.township_centres()
    maker.village_points()
    maker.other_places(TARGET_TERMINALS - len(maker.rows))
    return sorted(maker.rows, key=lambda r: r["code"])


# --- settlements ------------------------------------------------------------------------------


def settlement_names(rng: random.Random, n: int) -> list[str]:
    pairs = [a + b for a in NAME_FIRST for b in NAME_SECOND if a != b]
    return rng.sample(pairs, n)


def english(name: str) -> str:
    return "".join(lazy_pinyin(name)).capitalize()


def make_settlements(places: Places, terminals: list[dict[str, Any]], rng: random.Random) -> list[dict]:
    by_town: dict[str, list[dict]] = {}
    for t in terminals:
        division = places.division.get(t["division"])
        town = t["division"] if division["level"] in ("township", "county") else division["parent"]
        by_town.setdefault(town, []).append(t)
    slots = []
    for county in places.counties:
        towns = places.towns_of(county["code"])
        for town in towns:
            slots.append(
                (town, county["code"], 1.0 / len(towns) * (1.6 if county["code"] == LONGGANG else 1))
            )
    total = sum(w for *_r, w in slots)
    all_towns = [(t, c) for t, c, _w in slots]
    rows: list[dict[str, Any]] = []
    for town, county, weight in slots:
        n = round(TARGET_SETTLEMENTS * weight / total)
        lat0, lng0 = places.centre_of(town["code"])
        street = town["name"].endswith("街道") or county == LONGGANG
        names = settlement_names(rng, n)
        factor = spread(county)
        for i, base in enumerate(names, start=1):
            roll = rng.random()
            remote = county in MOUNTAIN_COUNTIES and roll < 0.18
            community = not remote and rng.random() < (0.75 if street else 0.12)
            if remote:
                lat, lng = offset(rng, lat0, lng0, 5000, 9000)
            elif roll < 0.72 and by_town.get(town["code"]):
                anchor = rng.choice(by_town[town["code"]])
                lat, lng = offset(rng, anchor["lat"], anchor["lng"], 60, 950 * max(factor, 0.6))
            else:
                lat, lng = offset(rng, lat0, lng0, 800 * factor, 5000 * factor)
            if community:
                population = rng.randint(2500, 12000)
                key = False
            elif remote:
                population = rng.randint(60, 500)
                key = rng.random() < 0.55
            else:
                population = rng.randint(300, 3200)
                key = rng.random() < 0.2
            name = base + ("社区" if community else "村")
            en = english(base) + (" Community" if community else " Village")
            # The nearest township of the same county (龙港: the city itself).
            nearest = min(
                (t for t, c in all_towns if c == county),
                key=lambda t: distance_m(lat, lng, *places.centre_of(t["code"])),
            )
            rows.append(
                {
                    "code": f"WZS-{town['code']}-{i:03d}",
                    "name": name + ZH_SAMPLE,
                    "name_en": en + EN_SAMPLE,
                    "kind": "community" if community else "village",
                    "division": nearest["code"],
                    "population": population,
                    "lat": lat,
                    "lng": lng,
                    "key_village": key,
                    "is_sample": True,
                }
            )
    return sorted(rows, key=lambda r: r["code"])


# --- the files --------------------------------------------------------------------------------

NOTE_TERMINALS = (
    "Sample data for demonstration: invented terminals (names end in 样例/sample) placed around the "
    "approximate real town centres of towns.json; generated by eban/demo/kiosk_sample.py (seeded), "
    "do not edit by hand. `matters` empty = every matter offered at kiosks."
)
NOTE_SETTLEMENTS = (
    "Sample data for demonstration: invented villages and communities with invented populations, "
    "placed around the approximate real town centres of towns.json; `division` is the nearest "
    "township. Generated by eban/demo/kiosk_sample.py (seeded), do not edit by hand."
)


def generate(
    towns: dict[str, Any] | None = None, divisions: dict[str, Any] | None = None
) -> tuple[dict, dict]:
    """(terminals document, settlements document): the same every time for the same input."""
    places = Places(towns or read("towns.json"), divisions or read("divisions.json"))
    rng = random.Random(SEED)
    terminals = make_terminals(places, rng)
    settlements = make_settlements(places, terminals, rng)
    return (
        {"format": TERMINALS_FORMAT, "note": NOTE_TERMINALS, "terminals": terminals},
        {"format": SETTLEMENTS_FORMAT, "note": NOTE_SETTLEMENTS, "settlements": settlements},
    )


def dump(document: dict[str, Any]) -> str:
    """One row per line: reviewable diffs, modest size."""
    key = next(k for k in document if isinstance(document[k], list))
    head = {k: v for k, v in document.items() if k != key}
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in document[key]]
    body = ",\n".join(lines)
    top = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return f'{top},\n "{key}": [\n{body}\n]}}\n'


def main() -> None:
    terminals, settlements = generate()
    (SAMPLE_DIR / "terminals.json").write_text(dump(terminals), encoding="utf-8")
    (SAMPLE_DIR / "settlements.json").write_text(dump(settlements), encoding="utf-8")
    sys.stdout.write(
        f"{len(terminals['terminals'])} terminals, {len(settlements['settlements'])} settlements\n"
    )


if __name__ == "__main__":
    main()
