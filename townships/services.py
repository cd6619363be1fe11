"""Writes for the township registry. Views, API, commands and tasks all call these."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import document_check
from core.numbers import finite_decimal

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


# --- progress reporting and the Excel ledgers of targets and progress (issue 6) ---

PROGRESS_WRITERS = ("township_staff", "county_official", "city_office")
TARGET_WRITERS = ("county_official", "city_office")
LEDGER_MAX_ROWS = 5000


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


@dataclass
class Ledger:
    """A parsed .xlsx ledger: valid rows (as plain values, signable) or errors by line number."""

    kind: str
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def refuses(self, line: int, problems: list[str]) -> bool:
        """True if the line has problems: they are recorded as its one error and its row is left out."""
        if problems:
            self.errors.append(_line_error(line, problems))
        return bool(problems)

    def valid_rows(self) -> list[dict]:
        """The rows to save; if any line is invalid, nothing is: every line's problems are raised."""
        if self.errors:
            raise ValidationError(self.errors)
        return self.rows


TARGET_COLUMNS = ("乡镇代码", "专项", "目标数量", "单位", "开始日期", "完成期限", "说明")
PROGRESS_COLUMNS = ("乡镇代码", "专项", "填报日期", "累计完成量", "备注")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell_date(value):
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        year, month, day = (int(p) for p in text.split("-"))
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        raise ValueError(text) from None


def _cell_decimal(value):
    from decimal import Decimal

    text = _cell_text(value).replace(",", "")  # thousands separators as typed: 1,200
    if not text:
        return None
    return finite_decimal(text).quantize(Decimal("0.01"))


def _plain(value) -> str:
    """A cell as text, so that rows can be signed into the preview and checked again on confirm."""
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _cell_text(value)


def ledger_read_xlsx(file, columns: tuple[str, ...]) -> tuple[list[tuple[int, list]], list[str]]:
    """The data rows of an uploaded workbook's first sheet as (line number, cells), or errors."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        return [], [_("The file is not an Excel workbook (.xlsx).")]
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_cell_text(c) for c in next(lines, ())]
    first_data_line = 2
    if any(c not in header for c in columns) and sum(1 for c in header if c) <= 1:
        # an exported sheet: its Chinese title row stands above the headers, which may be edited
        # and imported back as they are
        header, first_data_line = [_cell_text(c) for c in next(lines, ())], 3
    missing = [c for c in columns if c not in header]
    if missing:
        return [], [
            _("Line %(line)s: missing columns: %(cols)s")
            % {"line": first_data_line - 1, "cols": "、".join(missing)}
        ]
    index = [header.index(c) for c in columns]
    rows = []
    for line, cells in enumerate(lines, start=first_data_line):
        values = [_plain(cells[i] if i < len(cells) else None) for i in index]
        if all(v == "" for v in values):
            continue
        rows.append((line, values))
        if len(rows) > LEDGER_MAX_ROWS:
            return [], [_("The file has more than %(n)s rows; split it.") % {"n": LEDGER_MAX_ROWS}]
    workbook.close()
    if not rows:
        return [], [_("The file has no data rows.")]
    return rows, []


def _lookup_maps(user, codes):
    from .scope import visible_townships

    townships = {t.code: t for t in visible_townships(user).filter(code__in=codes).select_related("county")}
    return townships, track_lookup()


def track_lookup() -> dict:
    """Every track by its code and its name, also with straight quotes ("道乱占" as typed in Excel)."""
    tracks = {}
    for track in Track.objects.all():
        tracks[track.code] = track
        tracks[track.name] = track
        tracks[track.name.replace("“", '"').replace("”", '"')] = track
    return tracks


def _line_error(line: int, problems: list[str]) -> str:
    return _("Line %(line)s: %(problems)s") % {"line": line, "problems": "；".join(problems)}


def ledger_township(townships: dict, code, *, by, writers, refusal: str, problems: list[str]):
    """The township a ledger line names (or None); a problem when it is unknown or not the user's.

    `refusal` says what the user may not do, with %(name)s for the township.
    """
    from .scope import has_role

    township = townships.get(_cell_text(code))
    if township is None:
        problems.append(_("unknown township code %(code)s") % {"code": _cell_text(code) or "—"})
    elif not has_role(by, writers, township):
        problems.append(refusal % {"name": township.name})
    return township


def ledger_track(tracks: dict, name, problems: list[str]):
    """The track a ledger line names (by code or name), or None and a problem."""
    track = tracks.get(_cell_text(name))
    if track is None:
        problems.append(_("unknown track %(track)s") % {"track": _cell_text(name) or "—"})
    return track


def ledger_cell(parse, value, *, problems: list[str], message: str):
    """A cell parsed (a date, a number), or None and `message` among the line's problems."""
    try:
        return parse(value)
    except ValueError:
        problems.append(message)
        return None


def targets_ledger_validate(*, lines: list[tuple[int, list]], by) -> Ledger:
    """Check every target row; a row is valid only if all of it is."""
    ledger = Ledger(kind="targets")
    townships, tracks = _lookup_maps(by, {_cell_text(v[0]) for _line, v in lines})
    seen: dict[tuple, int] = {}
    for line, (code, track_name, quantity, unit, start, due, description) in lines:
        problems = []
        township = ledger_township(
            townships,
            code,
            by=by,
            writers=TARGET_WRITERS,
            refusal=_("you may not set targets for %(name)s"),
            problems=problems,
        )
        track = ledger_track(tracks, track_name, problems)
        try:
            qty = _cell_decimal(quantity)
        except ValueError:
            qty = None
        if qty is None or qty <= 0:
            problems.append(_("the target quantity must be a number above 0"))
        if not _cell_text(unit):
            problems.append(_("the unit is empty"))
        elif len(_cell_text(unit)) > 20:
            problems.append(_("the unit is longer than 20 characters"))
        start_day = ledger_cell(
            _cell_date, start, problems=problems, message=_("the start date is not a date (YYYY-MM-DD)")
        )
        try:
            due_day = _cell_date(due)
            if due_day is None:
                problems.append(_("the due date is empty"))
        except ValueError:
            due_day = None
            problems.append(_("the due date is not a date (YYYY-MM-DD)"))
        if start_day and due_day and start_day > due_day:
            problems.append(_("the due date is before the start date"))
        if len(_cell_text(description)) > 200:
            problems.append(_("the description is longer than 200 characters"))
        if township and track:
            key = (township.pk, track.pk)
            if key in seen:
                problems.append(_("the same township and track as line %(line)s") % {"line": seen[key]})
            seen.setdefault(key, line)
        if ledger.refuses(line, problems):
            continue
        ledger.rows.append(
            {
                "line": line,
                "township_id": township.pk,
                "township": township.name,
                "track_id": track.pk,
                "track": track.name,
                "quantity": str(qty),
                "unit": _cell_text(unit),
                "start_date": start_day.isoformat() if start_day else None,
                "due_date": due_day.isoformat(),
                "description": _cell_text(description),
            }
        )
    return ledger


def progress_ledger_validate(*, lines: list[tuple[int, list]], by) -> Ledger:
    """Check every progress row against its target and the reports already recorded."""
    from django.utils.timezone import localdate

    from .models import ProgressReport, Target

    ledger = Ledger(kind="progress")
    townships, tracks = _lookup_maps(by, {_cell_text(v[0]) for _line, v in lines})
    targets = {
        (t.township_id, t.track_id): t
        for t in Target.objects.filter(township__in=list(townships.values())).only(
            "id", "township_id", "track_id"
        )
    }
    reports: dict[int, list] = {}
    for target_id, day, qty in ProgressReport.objects.filter(
        target_id__in=[t.pk for t in targets.values()]
    ).values_list("target_id", "reported_on", "cumulative_quantity"):
        reports.setdefault(target_id, []).append((day, qty))
    today = localdate()
    for line, (code, track_name, day, quantity, note) in lines:
        problems = []
        township = ledger_township(
            townships,
            code,
            by=by,
            writers=PROGRESS_WRITERS,
            refusal=_("you may not report progress for %(name)s"),
            problems=problems,
        )
        track = ledger_track(tracks, track_name, problems)
        target = None
        if township and track:
            target = targets.get((township.pk, track.pk))
            if target is None:
                problems.append(_("%(name)s has no target in this track") % {"name": township.name})
        try:
            reported_on = _cell_date(day)
            if reported_on is None:
                problems.append(_("the report date is empty"))
            elif reported_on > today:
                problems.append(_("the report date is in the future"))
        except ValueError:
            reported_on = None
            problems.append(_("the report date is not a date (YYYY-MM-DD)"))
        try:
            qty = _cell_decimal(quantity)
        except ValueError:
            qty = None
        if qty is None or qty < 0:
            problems.append(_("the cumulative quantity must be a number of 0 or more"))
        if target and reported_on and qty is not None and qty >= 0:
            problem = _monotonic_problem(reports.get(target.pk, []), reported_on, qty)
            if problem:
                problems.append(problem)
            else:
                # later lines of the same file are checked against this one too
                reports.setdefault(target.pk, []).append((reported_on, qty))
        if ledger.refuses(line, problems):
            continue
        ledger.rows.append(
            {
                "line": line,
                "target_id": target.pk,
                "township": township.name,
                "track": track.name,
                "reported_on": reported_on.isoformat(),
                "cumulative_quantity": str(qty),
                "note": _cell_text(note),
            }
        )
    return ledger


@transaction.atomic
def targets_import(*, lines: list[tuple[int, list]], by) -> int:
    """Create or update targets from validated ledger lines; nothing is saved if any line is invalid."""
    import datetime
    from decimal import Decimal

    from .models import Target

    rows = targets_ledger_validate(lines=lines, by=by).valid_rows()
    for row in rows:
        values = {
            "quantity": Decimal(row["quantity"]),
            "unit": row["unit"],
            "start_date": datetime.date.fromisoformat(row["start_date"]) if row["start_date"] else None,
            "due_date": datetime.date.fromisoformat(row["due_date"]),
            "description": row["description"],
        }
        target = Target.objects.select_for_update().filter(
            township_id=row["township_id"], track_id=row["track_id"]
        ).first() or Target(township_id=row["township_id"], track_id=row["track_id"])
        for name, value in values.items():
            setattr(target, name, value)
        target.full_clean(validate_unique=False)
        target.save()  # one by one, so each edit lands in the target's history
    townships_changed(row["township_id"] for row in rows)
    return len(rows)


@transaction.atomic
def progress_import(*, lines: list[tuple[int, list]], by) -> int:
    """Record the progress rows of a validated ledger; nothing is saved if any line is invalid."""
    import datetime
    from decimal import Decimal

    from simple_history.utils import bulk_create_with_history

    from .models import ProgressReport, Target

    codes = {_cell_text(v[0]) for _line, v in lines}
    # Lock the targets first so two imports of the same ledger cannot interleave their checks.
    list(Target.objects.select_for_update().filter(township__code__in=codes).values_list("pk", flat=True))
    rows = progress_ledger_validate(lines=lines, by=by).valid_rows()
    reports = [
        ProgressReport(
            target_id=row["target_id"],
            reported_on=datetime.date.fromisoformat(row["reported_on"]),
            cumulative_quantity=Decimal(row["cumulative_quantity"]),
            note=row["note"],
            reported_by=by,
        )
        for row in rows
    ]
    bulk_create_with_history(reports, ProgressReport, default_user=by)
    townships_changed(
        Target.objects.filter(pk__in={r.target_id for r in reports}).values_list("township_id", flat=True)
    )
    return len(reports)


@transaction.atomic
def users_deactivate(*, user_ids: list[int], by) -> int:
    """Switch accounts off (they keep their memberships, notices and history); never the caller's own."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model().objects.select_for_update().filter(pk__in=user_ids, is_active=True).exclude(pk=by.pk)
    )
    ids = list(users.values_list("pk", flat=True))
    return get_user_model().objects.filter(pk__in=ids).update(is_active=False)


LOCATION_COLUMNS = ("乡镇代码", "纬度", "经度")
LOCATION_WRITERS = ("county_official", "city_office")


def _location_problems(latitude, longitude) -> list[str]:
    from .geo import plausible_location

    if latitude is None or longitude is None:
        return [_("give both latitude and longitude")]
    if not plausible_location(latitude, longitude):
        return [_("the point %(lat)s, %(lon)s is outside Lishui") % {"lat": latitude, "lon": longitude}]
    return []


def locations_ledger_validate(*, lines: list[tuple[int, list]], by) -> Ledger:
    """Check every coordinate row (township code, latitude, longitude in WGS-84 degrees)."""
    ledger = Ledger(kind="locations")
    townships, _tracks = _lookup_maps(by, {_cell_text(v[0]) for _line, v in lines})
    seen: dict[int, int] = {}
    for line, (code, lat, lon) in lines:
        problems = []
        township = ledger_township(
            townships,
            code,
            by=by,
            writers=LOCATION_WRITERS,
            refusal=_("you may not set the location of %(name)s"),
            problems=problems,
        )
        if not problems:  # a known township the user may locate, named once in the file
            if township.pk in seen:
                problems.append(_("the same township as line %(line)s") % {"line": seen[township.pk]})
            else:
                seen[township.pk] = line
        try:
            latitude, longitude = _cell_coordinate(lat), _cell_coordinate(lon)
            problems += _location_problems(latitude, longitude)
        except ValueError:
            latitude = longitude = None
            problems.append(_("latitude and longitude must be decimal degrees"))
        if ledger.refuses(line, problems):
            continue
        ledger.rows.append(
            {
                "line": line,
                "township_id": township.pk,
                "township": township.name,
                "latitude": str(latitude),
                "longitude": str(longitude),
            }
        )
    return ledger


def _cell_coordinate(value):
    from decimal import Decimal

    text = _cell_text(value)
    if not text:
        return None
    return finite_decimal(text).quantize(Decimal("0.000001"))


@transaction.atomic
def locations_import(*, lines: list[tuple[int, list]], by) -> int:
    """Set the coordinates of every row; nothing is saved if any line is invalid."""
    from decimal import Decimal

    rows = locations_ledger_validate(lines=lines, by=by).valid_rows()
    for row in rows:
        township = Township.objects.select_for_update().get(pk=row["township_id"])
        township.latitude, township.longitude = Decimal(row["latitude"]), Decimal(row["longitude"])
        township.save(update_fields=["latitude", "longitude"])  # one by one: each lands in its history
    return len(rows)


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
