"""Writes for households: add, correct, advance one stage, and the .xlsx import."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.numbers import finite_decimal

from ..choices import (
    HOUSEHOLD_STAGE_DATE_FIELD,
    HOUSEHOLD_STAGE_ORDER,
    HouseholdStage,
)
from ..models import Household
from ..permissions import ensure_can_edit
from .projects import WorkflowError, _check_step, _full_clean, _locked_project, _refuse_unknown, _set_fields

HOUSEHOLD_EDITABLE_FIELDS = (
    "owner_name",
    "address",
    "area",
    "incentive_bank",
    "loan_rate_before",
    "loan_rate_after",
    "note",
)


def _household_for_edit(household_id: int, by) -> Household:
    household = (
        Household.objects.select_for_update().select_related("project__township__county").get(pk=household_id)
    )
    ensure_can_edit(by, household.project.township)
    return household


@transaction.atomic
def household_create(*, project_id: int, by, fields: dict) -> Household:
    """Add an unsigned household to a project; its stage then moves only through household_advance."""
    project = _locked_project(project_id, by)
    _refuse_unknown(fields, HOUSEHOLD_EDITABLE_FIELDS)
    household = Household(project=project, **fields)
    _full_clean(household, exclude=["project"])
    household.save()
    return household


@transaction.atomic
def household_update(*, household_id: int, by, fields: dict) -> Household:
    """Correct a household's details (not its stage)."""
    household = _household_for_edit(household_id, by)
    _set_fields(household, fields, HOUSEHOLD_EDITABLE_FIELDS)
    _full_clean(household, exclude=["project"])
    household.save()
    return household


@transaction.atomic
def household_advance(*, household_id: int, by, to_stage: str, on: datetime.date | None = None) -> Household:
    """Sign one, demolish one, renovate one: move a household one step, never skipping."""
    household = _household_for_edit(household_id, by)
    _check_step(HOUSEHOLD_STAGE_ORDER, household.stage, to_stage)
    on = on or localdate()
    previous = [getattr(household, f) for f in HOUSEHOLD_STAGE_DATE_FIELD.values() if getattr(household, f)]
    if previous and on < max(previous):
        raise WorkflowError(_("A step cannot be dated before the step it follows."))
    date_field = HOUSEHOLD_STAGE_DATE_FIELD[HouseholdStage(to_stage)]
    household.stage = to_stage
    setattr(household, date_field, on)
    household.save(update_fields=["stage", date_field])
    return household


# --- Household import from .xlsx: every invalid row is reported; nothing is saved unless all are valid ---

IMPORT_COLUMNS = [
    # (field, header as offices write it, accepted alternatives)
    ("owner_name", "户主姓名", ("户主", "owner_name")),
    ("address", "地址", ("address",)),
    ("area", "面积(m²)", ("面积", "面积（m²）", "面积(平方米)", "area")),
    ("stage", "阶段", ("stage",)),
    ("signed_on", "签约日期", ("signed_on",)),
    ("demolished_on", "拆除日期", ("demolished_on",)),
    ("renovated_on", "整治日期", ("renovated_on",)),
    ("incentive_bank", "贷款银行", ("incentive_bank",)),
    ("loan_rate_before", "原月利率(‰)", ("原月利率", "loan_rate_before")),
    ("loan_rate_after", "优惠月利率(‰)", ("优惠月利率", "loan_rate_after")),
    ("note", "备注", ("note",)),
]
REQUIRED_IMPORT_COLUMNS = ("owner_name", "address", "area")
# The sheet is language-independent: Chinese labels and codes both work.
STAGE_WORDS = {
    "": HouseholdStage.UNSIGNED,
    "未签约": HouseholdStage.UNSIGNED,
    "未签": HouseholdStage.UNSIGNED,
    "已签约": HouseholdStage.SIGNED,
    "签约": HouseholdStage.SIGNED,
    "已拆除": HouseholdStage.DEMOLISHED,
    "拆除": HouseholdStage.DEMOLISHED,
    "已整治": HouseholdStage.RENOVATED,
    "整治": HouseholdStage.RENOVATED,
    **{s.value: s for s in HouseholdStage},
}
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportPreview:
    rows: list[dict] = field(default_factory=list)  # {"line": n, **raw text values}
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def households_read_xlsx(file) -> ImportPreview:
    """Read a sheet into raw rows (with their Excel line numbers) and check every one."""
    from openpyxl import load_workbook

    preview = ImportPreview()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        preview.errors.append((0, _("The file is not an Excel .xlsx workbook.")))
        return preview
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    positions = {}
    for name, title, alternatives in IMPORT_COLUMNS:
        for index, cell in enumerate(header):
            if cell in (title, *alternatives):
                positions[name] = index
                break
    missing = [
        title
        for name, title, _alt in IMPORT_COLUMNS
        if name in REQUIRED_IMPORT_COLUMNS and name not in positions
    ]
    if missing:
        preview.errors.append((1, _("Missing columns: %(cols)s") % {"cols": "、".join(missing)}))
        workbook.close()
        return preview
    for line, values in enumerate(rows, start=2):
        raw = {name: _text(values[i]) if i < len(values) else "" for name, i in positions.items()}
        if not any(raw.values()):
            continue
        if len(preview.rows) >= MAX_IMPORT_ROWS:
            preview.errors.append(
                (line, _("Too many rows; import at most %(n)s at a time.") % {"n": MAX_IMPORT_ROWS})
            )
            break
        preview.rows.append({"line": line, **raw})
    workbook.close()
    if not preview.rows and not preview.errors:
        preview.errors.append((2, _("The sheet has no household rows.")))
    households_check_rows(preview)
    return preview


def _parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_decimal(text: str) -> Decimal | None:
    if not text:
        return None
    return finite_decimal(text.replace(",", ""))


def _household_from_raw(raw: dict) -> tuple[Household | None, list[str]]:
    problems, values = [], {}
    for name in ("owner_name", "address", "incentive_bank", "note"):
        values[name] = raw.get(name, "")
    titles = {name: title for name, title, _alt in IMPORT_COLUMNS}
    for name in ("area", "loan_rate_before", "loan_rate_after"):
        try:
            values[name] = _parse_decimal(raw.get(name, ""))
        except ValueError:
            problems.append(f"{titles[name]}: " + _("%(value)s is not a number") % {"value": raw.get(name)})
    for name in ("signed_on", "demolished_on", "renovated_on"):
        try:
            values[name] = _parse_date(raw.get(name, ""))
        except ValueError:
            problems.append(
                f"{titles[name]}: " + _("%(value)s is not a date (use 2026-03-01)") % {"value": raw.get(name)}
            )
    stage = STAGE_WORDS.get(raw.get("stage", ""))
    if stage is None:
        problems.append(
            _("unknown stage %(value)s (未签约/已签约/已拆除/已整治)") % {"value": raw.get("stage")}
        )
    values["stage"] = stage or HouseholdStage.UNSIGNED
    if problems:
        return None, problems
    household = Household(**values)
    try:
        household.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in Household._meta.fields}
        for name, messages in exc.message_dict.items():
            prefix = f"{labels[name]}: " if name in labels else ""
            problems.extend(prefix + m for m in messages)
        return None, problems
    return household, []


def households_check_rows(preview: ImportPreview) -> ImportPreview:
    """Validate every raw row; collect one error line per bad row."""
    for raw in preview.rows:
        _household, problems = _household_from_raw(raw)
        if problems:
            preview.errors.append((raw["line"], "；".join(problems)))
    preview.errors.sort(key=lambda item: item[0])
    return preview


@transaction.atomic
def households_import(*, project_id: int, by, rows: list[dict]) -> int:
    """Save imported households, all or none; returns how many were saved."""
    project = _locked_project(project_id, by)
    preview = households_check_rows(ImportPreview(rows=list(rows)))
    if preview.errors or not preview.rows:
        lines = "、".join(str(line) for line, _msg in preview.errors) or "—"
        raise ValidationError(_("Nothing was imported: rows %(lines)s are invalid.") % {"lines": lines})
    households = []
    for raw in preview.rows:
        household, _problems = _household_from_raw(raw)
        household.project = project
        households.append(household)
    bulk_create_with_history(households, Household, batch_size=500, default_user=by)
    return len(households)


def households_import_xlsx(*, project_id: int, by, file) -> tuple[int, ImportPreview]:
    """Read and import a sheet in one go (the API and tests); the preview page splits the two."""
    preview = households_read_xlsx(file)
    if preview.errors:
        return 0, preview
    return households_import(project_id=project_id, by=by, rows=preview.rows), preview
