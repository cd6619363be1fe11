"""The township ledgers in Excel: targets, progress and locations, and the pieces other apps' ledgers
use (the cleaners' register, the scoring sheet). A sheet is read whole, every line checked, and
nothing is saved unless every line is valid (preview-and-refuse, townships.ledger_views)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.numbers import finite_decimal

from .freshness import townships_changed
from .models import Township, Track
from .services import (
    LOCATION_WRITERS,
    PROGRESS_WRITERS,
    TARGET_WRITERS,
    _location_problems,
    _monotonic_problem,
)

LEDGER_MAX_ROWS = 5000


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


def ledger_date(value, *, problems: list[str], empty: str, invalid: str):
    """A date cell that must be given: the date, or None and `empty` or `invalid` among the problems."""
    try:
        day = _cell_date(value)
    except ValueError:
        problems.append(invalid)
        return None
    if day is None:
        problems.append(empty)
    return day


def ledger_once(seen: dict, key, line: int, *, problems: list[str], message: str) -> None:
    """A problem when an earlier line of the file had the same `key` (`message` names that line as
    %(line)s); the first line to have it keeps it."""
    if key in seen:
        problems.append(message % {"line": seen[key]})
    seen.setdefault(key, line)


def _cell_quantity(value):
    """A number cell, or None when it is empty or no number (the caller says which numbers it takes)."""
    try:
        return _cell_decimal(value)
    except ValueError:
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
        qty = _cell_quantity(quantity)
        if qty is None or qty <= 0:
            problems.append(_("the target quantity must be a number above 0"))
        if not _cell_text(unit):
            problems.append(_("the unit is empty"))
        elif len(_cell_text(unit)) > 20:
            problems.append(_("the unit is longer than 20 characters"))
        start_day = ledger_cell(
            _cell_date, start, problems=problems, message=_("the start date is not a date (YYYY-MM-DD)")
        )
        due_day = ledger_date(
            due,
            problems=problems,
            empty=_("the due date is empty"),
            invalid=_("the due date is not a date (YYYY-MM-DD)"),
        )
        if start_day and due_day and start_day > due_day:
            problems.append(_("the due date is before the start date"))
        if len(_cell_text(description)) > 200:
            problems.append(_("the description is longer than 200 characters"))
        if township and track:
            ledger_once(
                seen,
                (township.pk, track.pk),
                line,
                problems=problems,
                message=_("the same township and track as line %(line)s"),
            )
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
        reported_on = ledger_date(
            day,
            problems=problems,
            empty=_("the report date is empty"),
            invalid=_("the report date is not a date (YYYY-MM-DD)"),
        )
        if reported_on and reported_on > today:
            problems.append(_("the report date is in the future"))
        qty = _cell_quantity(quantity)
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


LOCATION_COLUMNS = ("乡镇代码", "纬度", "经度")


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
            ledger_once(
                seen, township.pk, line, problems=problems, message=_("the same township as line %(line)s")
            )
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
