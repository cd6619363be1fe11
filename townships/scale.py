"""Deterministic province-scale registry data for benchmarks (generate_scale_data).

Lishui comes from the real CSV; the other cities of Zhejiang get synthetic counties and townships
with well-formed statistics codes, so that the whole province (1,191 towns) can be exercised.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from .choices import TownshipCategory, TownshipKind, TownshipStatus
from .models import City, County, ProgressReport, Target, Township, Track
from .services import DATA_DIR, townships_import_csv, tracks_ensure

ZHEJIANG_CITIES = [
    ("331100", "丽水市"),
    ("330100", "杭州市"),
    ("330200", "宁波市"),
    ("330300", "温州市"),
    ("330400", "嘉兴市"),
    ("330500", "湖州市"),
    ("330600", "绍兴市"),
    ("330700", "金华市"),
    ("330800", "衢州市"),
    ("330900", "舟山市"),
    ("331000", "台州市"),
]
KINDS = [
    (TownshipKind.TOWN, "1", "镇", TownshipCategory.GENERAL_TOWN),
    (TownshipKind.TOWNSHIP, "2", "乡", TownshipCategory.TOWNSHIP_MARKET),
    (TownshipKind.SUBDISTRICT, "0", "街道", TownshipCategory.INDEPENDENT_SUBDISTRICT),
]
SYLLABLES = (
    "安白宝碧城大东丰福古海和河横湖华黄江金锦兰乐联临龙梅南平浦青清仁瑞三山上石双水松太唐天溪仙新杨云长竹"
)
UNITS = ["项", "处", "公里", "米", "户", "家"]


def _name(rng: random.Random, suffix: str) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + suffix


@transaction.atomic
def registry_generate(*, cities: int, towns: int, seed: int) -> list[int]:
    """Lishui's real registry plus synthetic cities up to `towns` townships; returns township ids."""
    rng = random.Random(seed)
    townships_import_csv(text=(DATA_DIR / "lishui_townships.csv").read_text(encoding="utf-8"))
    tracks_ensure()
    existing = Township.objects.count()
    others = ZHEJIANG_CITIES[1:cities]
    remaining = max(0, towns - existing)
    new_townships = []
    for index, (city_code, city_name) in enumerate(others):
        city, _ = City.objects.get_or_create(code=city_code, defaults={"name": city_name})
        share = remaining // len(others) + (1 if index < remaining % len(others) else 0)
        county_count = max(1, round(share / 14))
        for c in range(county_count):
            county, _ = County.objects.get_or_create(
                code=f"{city_code[:4]}{c + 2:02d}", defaults={"city": city, "name": _name(rng, "县")}
            )
            per_county = share // county_count + (1 if c < share % county_count else 0)
            for n in range(per_county):
                kind, digit, suffix, category = KINDS[0 if n % 5 < 3 else (1 if n % 5 == 3 else 2)]
                code = f"{county.code}{digit}{n:02d}"
                name = _name(rng, suffix)
                new_townships.append(
                    Township(
                        county=county,
                        code=code,
                        name=name,
                        official_name=name,
                        kind=kind,
                        category=category,
                        plan_year=2017 + rng.randrange(3),
                        status=rng.choice(list(TownshipStatus.values)),
                    )
                )
    Township.objects.bulk_create(new_townships, batch_size=2000, ignore_conflicts=True)
    Township.objects.filter(plan_year__isnull=True).update(plan_year=2018)
    return list(Township.objects.order_by("pk").values_list("pk", flat=True))


def targets_generate(*, township_ids: list[int], years: int, seed: int, start: datetime.date) -> int:
    """Six targets per township and a cumulative progress report per target and month; returns reports made."""
    rng = random.Random(seed + 1)
    tracks = list(Track.objects.order_by("position"))
    due = datetime.date(start.year + years, start.month, 1) - datetime.timedelta(days=1)
    with transaction.atomic():
        Target.objects.bulk_create(
            [
                Target(
                    township_id=tid,
                    track=track,
                    quantity=Decimal(rng.randrange(10, 200)),
                    unit=UNITS[i],
                    description=f"{track.name}目标",
                    start_date=start,
                    due_date=due,
                )
                for tid in township_ids
                for i, track in enumerate(tracks)
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    months = years * 12
    made = 0
    batch = []
    targets = Target.objects.filter(township_id__in=township_ids).values_list("pk", "quantity").order_by("pk")
    for target_id, quantity in targets.iterator(chunk_size=5000):
        pace = rng.uniform(0.6, 1.2)
        for m in range(months):
            done = min(Decimal(1), Decimal(pace * (m + 1) / months))
            batch.append(
                ProgressReport(
                    target_id=target_id,
                    reported_on=_month_end(start, m),
                    cumulative_quantity=(quantity * done).quantize(Decimal("0.01")),
                    note="",
                )
            )
        if len(batch) >= 20000:
            ProgressReport.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)
            batch = []
    ProgressReport.objects.bulk_create(batch, batch_size=5000)
    return made + len(batch)


def _month_end(start: datetime.date, offset: int) -> datetime.date:
    year, month = divmod(start.month - 1 + offset + 1, 12)
    return datetime.date(start.year + year, month + 1, 1) - datetime.timedelta(days=1)
