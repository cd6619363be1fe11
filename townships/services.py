"""Writes for the township registry. Views, API, commands and tasks all call these."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import document_check

from .choices import TownshipCategory, TownshipKind
from .freshness import townships_changed
from .models import City, County, Township, Track

DATA_DIR = Path(__file__).resolve().parent / "data"
LISHUI_CITY = ("331100", "丽水市")

KIND_BY_LABEL = {"街道": TownshipKind.SUBDISTRICT, "镇": TownshipKind.TOWN, "乡": TownshipKind.TOWNSHIP}
KIND_BY_CODE_DIGIT = {"0": TownshipKind.SUBDISTRICT, "1": TownshipKind.TOWN, "2": TownshipKind.TOWNSHIP}
DEFAULT_CATEGORY = {
    TownshipKind.SUBDISTRICT: TownshipCategory.INDEPENDENT_SUBDISTRICT,
    TownshipKind.TOWN: TownshipCategory.GENERAL_TOWN,
    TownshipKind.TOWNSHIP: TownshipCategory.TOWNSHIP_MARKET,
}
# The registry CSV's `note` column is research provenance for developers (data/README.md): never imported.
REQUIRED_COLUMNS = ("county_code", "county_name", "township_code", "township_name", "township_kind")


class CsvImportError(Exception):
    """The file cannot be imported; `errors` lists every problem with its line number."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counties: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    county_code: str
    county_name: str
    code: str
    name: str
    kind: str


def _parse_township_rows(text: str) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CsvImportError([_("Line 1: missing columns: %(cols)s") % {"cols": ", ".join(missing)}])
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        values = {k: (raw.get(k) or "").strip() for k in REQUIRED_COLUMNS}
        problems = []
        if not (values["county_code"].isdigit() and len(values["county_code"]) == 6):
            problems.append(_("county code must be 6 digits"))
        code = values["township_code"]
        if not (code.isdigit() and len(code) in (9, 12)):
            problems.append(_("township code must be 9 or 12 digits"))
        elif not code.startswith(values["county_code"]):
            problems.append(_("township code does not start with its county code"))
        if not values["township_name"]:
            problems.append(_("township name is empty"))
        if not values["county_name"]:
            problems.append(_("county name is empty"))
        kind = KIND_BY_LABEL.get(values["township_kind"])
        if kind is None:
            problems.append(_("kind must be 街道, 镇 or 乡"))
        elif code.isdigit() and len(code) >= 7 and KIND_BY_CODE_DIGIT.get(code[6]) != kind:
            problems.append(_("kind disagrees with digit 7 of the code"))
        if code in seen:
            problems.append(_("duplicate township code (first on line %(line)s)") % {"line": seen[code]})
        seen.setdefault(code, line)
        if problems:
            errors.append(_("Line %(line)s: %(problems)s") % {"line": line, "problems": "; ".join(problems)})
            continue
        rows.append(
            _Row(
                line,
                values["county_code"],
                values["county_name"],
                code,
                values["township_name"],
                kind,
            )
        )
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([_("The file has no township rows.")])
    return rows


def _name_overrides() -> dict[str, tuple[str, list[str]]]:
    path = DATA_DIR / "township_names.csv"
    overrides = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
            overrides[row["township_code"]] = (row["official_name"].strip(), aliases)
    return overrides


def _aliases_for(name: str, extra: list[str]) -> str:
    aliases = list(extra)
    if "畲族" in name:
        aliases.append(name.replace("畲族", ""))
    return ",".join(dict.fromkeys(a for a in aliases if a and a != name))


@transaction.atomic
def townships_import_csv(
    *, text: str, city_code: str = LISHUI_CITY[0], city_name: str = LISHUI_CITY[1]
) -> ImportResult:
    """Create or update a city's counties and townships from CSV text; all rows or none."""
    rows = _parse_township_rows(text)
    overrides = _name_overrides()
    result = ImportResult()
    city, _created = City.objects.get_or_create(code=city_code, defaults={"name": city_name})
    counties: dict[str, County] = {}
    for row in rows:
        if row.county_code not in counties:
            county, created = County.objects.get_or_create(
                code=row.county_code, defaults={"name": row.county_name, "city": city}
            )
            if not created and (county.name, county.city_id) != (row.county_name, city.pk):
                county.name, county.city = row.county_name, city
                county.save(update_fields=["name", "city"])
            counties[row.county_code] = county
    result.counties = len(counties)
    existing = {t.code: t for t in Township.objects.filter(code__in=[r.code for r in rows])}
    for row in rows:
        official, extra_aliases = overrides.get(row.code, (row.name, []))
        wanted = {
            "county_id": counties[row.county_code].pk,
            "name": row.name,
            "official_name": official,
            "kind": row.kind,
        }
        township = existing.get(row.code)
        if township is None:
            Township.objects.create(
                code=row.code,
                category=DEFAULT_CATEGORY[row.kind],
                aliases=_aliases_for(row.name, extra_aliases),
                **wanted,
            )
            result.created += 1
            continue
        # Staff may have edited category, status, aliases: the import only owns the official fields.
        changed = [k for k, v in wanted.items() if getattr(township, k) != v]
        if changed:
            for k in changed:
                setattr(township, k, wanted[k])
            township.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    return result


TRACKS = [
    ("planning", "规划设计引领", "Planning and design guidance"),
    ("sanitation", "卫生乡镇创建", "Sanitary township creation"),
    ("road_occupation", "“道乱占”治理", "Clearing occupied roads"),
    ("traffic_disorder", "“车乱开”治理", "Ending disorderly driving and parking"),
    ("line_clutter", "“线乱拉”治理", "Tidying overhead lines"),
    ("scattered_industry", "“低小散”块状行业治理", "Upgrading low-end scattered workshops"),
]


def tracks_ensure() -> None:
    """Make sure the six tracks exist (names are left alone once staff have edited them)."""
    for position, (code, name, name_en) in enumerate(TRACKS, start=1):
        Track.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


DEMO_PASSWORD = "Lishui-demo-2026"  # noqa: S105 - printed by seed_demo, local settings only
DEMO_USERS = [
    # username, role, scope kind, scope code, full name
    ("city", "city_office", "city", "331100", "市镇治办 王主任"),
    ("province", "province", None, None, "省整治办 观察员"),
    ("liandu", "county_official", "county", "331102", "莲都区镇治办 李科长"),
    ("longquan", "county_official", "county", "331181", "龙泉市镇治办 陈科长"),
    ("inspector", "inspector", "county", "331102", "督导组 赵专家"),
    ("bihu", "township_staff", "township", "331102100", "碧湖镇 周干部"),
    ("apiclient", "api_client", "city", "331100", "大屏数据接口"),
]


@transaction.atomic
def demo_seed() -> list[tuple[str, str, str]]:
    """Demo users per role, plan years and synthetic targets with progress; rerunning changes nothing."""
    import datetime
    import hashlib
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from .choices import Role
    from .models import Membership, ProgressReport, Target

    tracks_ensure()
    User = get_user_model()
    printed = []
    for username, role, scope_kind, scope_code, full_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "email": f"{username}@example.invalid"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.CITY_OFFICE
            user.save()
        scope = {}
        if scope_kind == "city":
            scope["city"] = City.objects.get(code=scope_code)
        elif scope_kind == "county":
            scope["county"] = County.objects.get(code=scope_code)
        elif scope_kind == "township":
            scope["township"] = Township.objects.get(code=scope_code)
        Membership.objects.get_or_create(user=user, role=role, **scope)
        printed.append((username, DEMO_PASSWORD, str(Role(role).label)))

    tracks = list(Track.objects.order_by("position"))
    units = ["项", "处", "公里", "米", "户", "家"]
    today = datetime.date(2026, 11, 1)
    for township in Township.objects.filter(in_programme=True).order_by("code"):
        digest = hashlib.sha256(township.code.encode()).digest()
        if township.plan_year is None:
            township.plan_year = 2017 + digest[0] % 3
            township.save(update_fields=["plan_year"])
        for i, track in enumerate(tracks):
            quantity = Decimal(10 + digest[i + 1] % 90)
            target, created = Target.objects.get_or_create(
                township=township,
                track=track,
                defaults={
                    "quantity": quantity,
                    "unit": units[i % len(units)],
                    "description": f"{track.name}年度目标",
                    "start_date": datetime.date(2026, 1, 1),
                    "due_date": datetime.date(2026, 12, 31),
                },
            )
            if created:
                # 62–100 % done: a mix of blue, yellow and red townships on the demo boards
                share = Decimal(62 + digest[i + 7] % 39) / 100
                ProgressReport.objects.create(
                    target=target,
                    reported_on=today,
                    cumulative_quantity=(quantity * share).quantize(Decimal("0.01")),
                    note="示例数据",
                )
    return printed


# --- progress reporting (issue 6; its Excel ledgers are in ledgers.py) ---

PROGRESS_WRITERS = ("township_staff", "county_official", "city_office")
TARGET_WRITERS = ("county_official", "city_office")


def _ensure_writer(user, township, roles) -> None:
    from django.core.exceptions import PermissionDenied

    from .scope import has_role

    if not has_role(user, roles, township):
        raise PermissionDenied(_("Your role may not report progress for this township."))


def _monotonic_problem(reports, reported_on, quantity) -> str | None:
    """Cumulative progress never goes down: compare with the reports just before and after the date."""
    before = [r for r in reports if r[0] <= reported_on]
    after = [r for r in reports if r[0] > reported_on]
    if before:
        day, qty = max(before)
        if quantity < qty:
            return _("The cumulative quantity cannot be below the %(qty)s reported on %(day)s.") % {
                "qty": format(qty.normalize(), "f"),
                "day": day.isoformat(),
            }
    if after:
        day, qty = min(after)
        if quantity > qty:
            return _("The cumulative quantity cannot exceed the %(qty)s reported later, on %(day)s.") % {
                "qty": format(qty.normalize(), "f"),
                "day": day.isoformat(),
            }
    return None


@transaction.atomic
def progress_report_create(
    *, target_id: int, reported_on, cumulative_quantity, by, note: str = "", evidence=None
):
    """Record a township's cumulative progress against one target."""
    from django.conf import settings as dj_settings
    from django.utils.timezone import localdate

    from .models import ProgressReport, Target

    target = Target.objects.select_for_update().select_related("township__county").get(pk=target_id)
    _ensure_writer(by, target.township, PROGRESS_WRITERS)
    errors = {}
    if reported_on > localdate():
        errors["reported_on"] = _("The report date cannot be in the future.")
    if cumulative_quantity < 0:
        errors["cumulative_quantity"] = _("The cumulative quantity cannot be negative.")
    else:
        existing = list(
            ProgressReport.objects.filter(target=target).values_list("reported_on", "cumulative_quantity")
        )
        problem = _monotonic_problem(existing, reported_on, cumulative_quantity)
        if problem:
            errors["cumulative_quantity"] = problem
    if evidence is not None and evidence.size > dj_settings.PHOTO_MAX_BYTES:
        errors["evidence"] = _("The evidence file is larger than %(mb)s MB.") % {
            "mb": dj_settings.PHOTO_MAX_BYTES // (1024 * 1024)
        }
    elif evidence is not None:
        try:
            kind = document_check(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
        else:
            # The stored name's extension says what the content is, not what the client claimed.
            stem = Path(evidence.name or "").stem[:80] or "evidence"
            evidence.name = f"{stem}.{kind.extension}"
    if errors:
        raise ValidationError(errors)
    report = ProgressReport(
        target=target,
        reported_on=reported_on,
        cumulative_quantity=cumulative_quantity,
        note=note,
        reported_by=by,
    )
    if evidence is not None:
        report.evidence = evidence
    report.full_clean()
    report.save()
    townships_changed([target.township_id])
    return report


@transaction.atomic
def users_deactivate(*, user_ids: list[int], by) -> int:
    """Switch accounts off (they keep their memberships, notices and history); never the caller's own."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model().objects.select_for_update().filter(pk__in=user_ids, is_active=True).exclude(pk=by.pk)
    )
    ids = list(users.values_list("pk", flat=True))
    return get_user_model().objects.filter(pk__in=ids).update(is_active=False)


LOCATION_WRITERS = ("county_official", "city_office")


def _location_problems(latitude, longitude) -> list[str]:
    from .geo import plausible_location

    if latitude is None or longitude is None:
        return [_("give both latitude and longitude")]
    if not plausible_location(latitude, longitude):
        return [_("the point %(lat)s, %(lon)s is outside Lishui") % {"lat": latitude, "lon": longitude}]
    return []


@transaction.atomic
def township_location_set(*, township_id: int, latitude, longitude, by) -> Township:
    """The county office sets (or confirms a suggested) township location; both or neither."""
    from django.core.exceptions import PermissionDenied

    from .scope import has_role, visible_townships

    township = visible_townships(by).select_for_update().get(pk=township_id)
    if not has_role(by, LOCATION_WRITERS, township):
        raise PermissionDenied(_("Only the county or city office may set a township's location."))
    if latitude is not None or longitude is not None:
        problems = _location_problems(latitude, longitude)
        if problems:
            raise ValidationError(problems)
    township.latitude, township.longitude = latitude, longitude
    township.save(update_fields=["latitude", "longitude"])
    return township
