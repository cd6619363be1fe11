"""Writes for the cleaners' register: the Excel ledger and the expiry notices."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from notifications.choices import NotificationKind, NotificationLevel
from notifications.services.notices import notify
from townships.ledgers import (
    Ledger,
    _cell_date,
    _cell_text,
    _lookup_maps,
    ledger_cell,
    ledger_once,
    ledger_township,
)
from townships.models import Membership
from townships.services import PROGRESS_WRITERS

from .choices import RESULT_WORDS, TestResult
from .models import Cleaner

COLUMNS = ("乡镇代码", "姓名", "保洁区域或路段", "培训日期", "考核结果", "证书编号", "证书有效期至")
CLEANER_WRITERS = PROGRESS_WRITERS  # the township keeps its own register; county and city may too
EXPIRY_NOTICE_DAYS = 30


def cleaners_ledger_validate(*, lines: list[tuple[int, list]], by) -> Ledger:
    """Check every row; the ledger is valid only if every row is (line numbers as in Excel)."""
    ledger = Ledger(kind="cleaners")
    townships, _tracks = _lookup_maps(by, {_cell_text(v[0]) for _line, v in lines})
    numbers = [_cell_text(v[5]) for _line, v in lines if _cell_text(v[5])]
    taken = dict(
        Cleaner.objects.filter(certificate_no__in=numbers).values_list("certificate_no", "township_id")
    )
    seen_numbers: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    for line, (code, name, area, training, result, number, expiry) in lines:
        problems = []
        township = ledger_township(
            townships,
            code,
            by=by,
            writers=CLEANER_WRITERS,
            refusal=_("you may not keep the cleaners of %(name)s"),
            problems=problems,
        )
        name, area, number = _cell_text(name), _cell_text(area), _cell_text(number)
        if not name or len(name) > 50:
            problems.append(_("the name is empty or longer than 50 characters"))
        if not area or len(area) > 200:
            problems.append(_("the assigned area or road is empty or longer than 200 characters"))
        training_day = ledger_cell(
            _cell_date, training, problems=problems, message=_("the training date is not a date (YYYY-MM-DD)")
        )
        test_result = RESULT_WORDS.get(_cell_text(result) or "待考")
        if test_result is None:
            problems.append(_("the test result must be 合格, 不合格 or 待考"))
        expiry_day = ledger_cell(
            _cell_date,
            expiry,
            problems=problems,
            message=_("the certificate expiry is not a date (YYYY-MM-DD)"),
        )
        if number:
            if len(number) > 50:
                problems.append(_("the certificate number is longer than 50 characters"))
            if test_result != TestResult.PASSED:
                problems.append(_("a certificate number needs the result 合格"))
            if expiry_day is None:
                problems.append(_("a certificate needs its expiry date"))
            ledger_once(
                seen_numbers,
                number,
                line,
                problems=problems,
                message=_("the same certificate number as line %(line)s"),
            )
            if township and taken.get(number) not in (None, township.pk):
                problems.append(
                    _("certificate %(no)s belongs to another township's cleaner") % {"no": number}
                )
        if township and name:
            ledger_once(
                seen_people,
                (township.pk, name),
                line,
                problems=problems,
                message=_("the same cleaner as line %(line)s"),
            )
        if ledger.refuses(line, problems):
            continue
        ledger.rows.append(
            {
                "line": line,
                "township_id": township.pk,
                "name": name,
                "area": area,
                "training_date": training_day.isoformat() if training_day else None,
                "test_result": str(test_result),
                "certificate_no": number,
                "certificate_expiry": expiry_day.isoformat() if expiry_day else None,
                # what the preview table shows, in the ledger's column order
                "cells": [
                    township.name,
                    name,
                    area,
                    training_day.isoformat() if training_day else "—",
                    str(TestResult(test_result).label),
                    number or "—",
                    expiry_day.isoformat() if expiry_day else "—",
                ],
            }
        )
    return ledger


@transaction.atomic
def cleaners_import(*, lines: list[tuple[int, list]], by) -> int:
    """Create or update (by township and name) every row; nothing is saved if any line is invalid."""
    rows = cleaners_ledger_validate(lines=lines, by=by).valid_rows()
    for row in rows:
        cleaner = Cleaner.objects.select_for_update().filter(
            township_id=row["township_id"], name=row["name"]
        ).first() or Cleaner(township_id=row["township_id"], name=row["name"], created_by=by)
        cleaner.area = row["area"]
        cleaner.training_date = _iso(row["training_date"])
        cleaner.test_result = row["test_result"]
        cleaner.certificate_no = row["certificate_no"]
        cleaner.certificate_expiry = _iso(row["certificate_expiry"])
        cleaner.active = True
        cleaner.full_clean(validate_unique=False)
        cleaner.save()  # one by one, so each change lands in the cleaner's history
    return len(rows)


def _iso(value):
    return datetime.date.fromisoformat(value) if value else None


def notify_expiring_certificates(*, today=None, days: int = EXPIRY_NOTICE_DAYS) -> int:
    """One notice to the township's staff per certificate that ends within `days` (never twice).

    Set-based reads (the expiring certificates, then the staff of their townships); the notices go
    through notifications.services.notices.notify, whose unique (object, level, recipient) row makes a rerun,
    a retry or two workers at once send nothing twice.
    """
    today = today or localdate()
    expiring = list(
        Cleaner.objects.expiring(today, days)
        .select_related("township")
        .only("pk", "name", "area", "certificate_no", "certificate_expiry", "township__name")
    )
    if not expiring:
        return 0
    staff: dict[int, set[int]] = {}
    for user_id, township_id in Membership.objects.filter(
        role="township_staff", user__is_active=True, township_id__in={c.township_id for c in expiring}
    ).values_list("user_id", "township_id"):
        staff.setdefault(township_id, set()).add(user_id)
    link = reverse("cleaners:cleaner_list")
    created = 0
    for cleaner in expiring:
        recipients = staff.get(cleaner.township_id)
        if not recipients:
            continue
        text = _(
            "%(township)s: the certificate %(no)s of cleaner %(name)s (%(area)s) expires on %(date)s; "
            "arrange the refresher training and test."
        ) % {
            "township": cleaner.township.name,
            "no": cleaner.certificate_no,
            "name": cleaner.name,
            "area": cleaner.area,
            "date": f"{cleaner.certificate_expiry.year}年{cleaner.certificate_expiry.month}月{cleaner.certificate_expiry.day}日",
        }
        created += len(
            notify(
                recipients=recipients,
                obj=cleaner,
                level=NotificationLevel.DUE_SOON,
                kind=NotificationKind.CERTIFICATE,
                text=text,
                link=f"{link}?township={cleaner.township_id}",
            )
        )
    return created
