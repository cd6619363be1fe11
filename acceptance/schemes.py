"""A scheme's 计分表 in and out of Excel: preview-and-refuse like the other imports (every bad row by
line number, nothing saved), and the same columns out."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.numbers import finite_decimal
from townships.choices import Role
from townships.ledgers import Ledger, track_lookup
from townships.scope import has_role

from .choices import Component, Method
from .models import Scheme, SchemeItem

COLUMNS = (
    "编号",
    "上级编号",
    "组成部分",
    "专项",
    "考核内容",
    "分值",
    "考核方式",
    "扣分规则",
    "每处扣分",
    "一票否决",
)
SCHEME_EDITORS = (Role.CITY_OFFICE,)

_COMPONENT = {
    **{c.value: c.value for c in Component},
    "汇报": "report",
    "台账": "ledger",
    "现场": "site",
    "整治办评分": "office",
    "整治办": "office",
}
_COMPONENT_CN = {"report": "汇报", "ledger": "台账", "site": "现场", "office": "整治办评分"}
_METHOD = {
    **{m.value: m.value for m in Method},
    "查阅台账": "ledger",
    "实地查看": "site",
    "听取汇报": "report",
    "": "",
}
_YES = {
    "是": True,
    "yes": True,
    "y": True,
    "1": True,
    "否": False,
    "no": False,
    "n": False,
    "0": False,
    "": False,
}


def can_edit_schemes(user) -> bool:
    return has_role(user, SCHEME_EDITORS)


def _decimal(text: str) -> Decimal | None:
    if text == "":
        return None
    value = finite_decimal(text)
    if value < 0:
        raise ValueError(text)
    return value


def scheme_items_validate(*, lines, scheme: Scheme) -> Ledger:
    """Check every row; a row is valid only if all of it is, and parents must come before children."""
    ledger = Ledger(kind="scheme")
    tracks = track_lookup()
    seen: dict[str, int] = {}
    for line, (code, parent, component, track_name, name, max_points, method, rule, per, veto) in lines:
        problems = []
        if not code:
            problems.append(_("the code is empty"))
        elif code in seen:
            problems.append(_("code %(code)s repeats line %(line)s") % {"code": code, "line": seen[code]})
        if parent and parent not in seen:
            problems.append(_("parent %(code)s is not on an earlier line") % {"code": parent})
        if component not in _COMPONENT:
            problems.append(_("unknown component “%(value)s”") % {"value": component})
        if track_name and track_name not in tracks:
            problems.append(_("unknown track “%(value)s”") % {"value": track_name})
        if not name:
            problems.append(_("the item is empty"))
        try:
            points = _decimal(max_points)
            if points is None:
                problems.append(_("the points are empty"))
        except ValueError:
            points = None
            problems.append(_("points “%(value)s” are not a number ≥ 0") % {"value": max_points})
        try:
            per_value = _decimal(per)
        except ValueError:
            per_value = None
            problems.append(_("points per deduction “%(value)s” are not a number ≥ 0") % {"value": per})
        if method not in _METHOD:
            problems.append(_("unknown method “%(value)s”") % {"value": method})
        if veto.lower() not in _YES:
            problems.append(_("veto must be 是 or 否, not “%(value)s”") % {"value": veto})
        if code and code not in seen:
            seen[code] = line
        if ledger.refuses(line, problems):
            continue
        ledger.rows.append(
            {
                "line": line,
                "code": code,
                "parent": parent,
                "component": _COMPONENT[component],
                "track_id": tracks[track_name].pk if track_name else None,
                "track": str(tracks[track_name]) if track_name else "",
                "name": name,
                "max_points": str(points),
                "method": _METHOD[method],
                "deduction_rule": rule,
                "deduction_per": str(per_value) if per_value is not None else "",
                "is_veto": _YES[veto.lower()],
            }
        )
    if scheme.items.exists():
        ledger.errors.insert(0, _("This scheme already has items; import into a new version."))
    return ledger


@transaction.atomic
def scheme_items_import(*, scheme_id: int, lines, by) -> int:
    """Create every item of a validated sheet; nothing is saved if any line is invalid."""
    if not can_edit_schemes(by):
        raise PermissionDenied(_("Only the city office edits scoring schemes."))
    scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
    rows = scheme_items_validate(lines=lines, scheme=scheme).valid_rows()
    by_code: dict[str, SchemeItem] = {}
    for order, row in enumerate(rows, start=1):
        item = SchemeItem.objects.create(
            scheme=scheme,
            parent=by_code.get(row["parent"]) if row["parent"] else None,
            code=row["code"],
            component=row["component"],
            track_id=row["track_id"],
            name=row["name"],
            max_points=Decimal(row["max_points"]),
            method=row["method"],
            deduction_rule=row["deduction_rule"],
            deduction_per=Decimal(row["deduction_per"]) if row["deduction_per"] else None,
            is_veto=row["is_veto"],
            order=order,
        )
        by_code[item.code] = item
    return len(rows)


def scheme_rows(scheme: Scheme):
    """The scheme's items as the import's columns (an export imports again)."""
    items = scheme.items.select_related("parent", "track").order_by("order", "pk")
    for item in items:
        yield [
            item.code,
            item.parent.code if item.parent_id else "",
            _COMPONENT_CN.get(item.component, item.component),
            item.track.name if item.track_id else "",
            item.name,
            item.max_points,
            {"ledger": "查阅台账", "site": "实地查看", "report": "听取汇报"}.get(item.method, ""),
            item.deduction_rule,
            item.deduction_per if item.deduction_per is not None else "",
            "是" if item.is_veto else "否",
        ]
