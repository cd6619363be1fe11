"""Every notice the acceptance module sends: to the inbox and, through workflow events, to the groups.

The levels are acceptance's own strings (notifications stays generic): a notice is unique per
(object, level, recipient), so each event about a review has its own level.
"""

from django.db import connection
from django.utils.translation import gettext as _

from notifications.events import event_notify
from notifications.recipients import role_members_sql
from townships.choices import Role

KIND = "acceptance"
SCHEDULED, SCORED, PASSED, FAILED = "acc_scheduled", "acc_scored", "acc_passed", "acc_failed"
DECIDED, REVOKED = "acc_decided", "acc_revoked"


def _township_and_county_people(township_id: int) -> list[int]:
    sql, params = role_members_sql(roles=[Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL])
    with connection.cursor() as cursor:
        query = f"SELECT DISTINCT r.user_id FROM ({sql}) r WHERE r.township_id = %s"  # noqa: S608 (ours)
        cursor.execute(query, [*params, township_id])
        return [row[0] for row in cursor.fetchall()]


def _send(obj, township, level: str, text: str, link: str) -> None:
    """The inbox of the township's staff and county officials, and the county's and city's groups."""
    event_notify(
        recipients=_township_and_county_people(township.pk),
        obj=obj,
        level=level,
        kind=KIND,
        text=text,
        link=link,
        city_id=township.county.city_id,
        county_id=township.county_id,
    )


def review_scheduled(review) -> None:
    app = review.application
    _send(
        review,
        app.township,
        SCHEDULED,
        _("%(township)s: %(level)s scheduled for %(date)s.")
        % {"township": app.township, "level": review.get_level_display(), "date": review.reviewed_on},
        app.get_absolute_url(),
    )


def review_scored(review) -> None:
    app = review.application
    text = _("%(township)s: %(level)s scored %(total)s (%(result)s).") % {
        "township": app.township,
        "level": review.get_level_display(),
        "total": review.total,
        "result": review.get_result_display(),
    }
    _send(review, app.township, SCORED, text, app.get_absolute_url())
    _send(review, app.township, PASSED if review.result == "pass" else FAILED, text, app.get_absolute_url())


def application_decided(application, decision: str, decision_label: str) -> None:
    _send(
        application,
        application.township,
        f"{DECIDED}_{decision}",
        _("%(township)s: acceptance decision — %(decision)s.")
        % {"township": application.township, "decision": decision_label},
        application.get_absolute_url(),
    )


def spot_check_recorded(spot_check) -> None:
    app = spot_check.application
    _send(
        spot_check,
        app.township,
        REVOKED if not spot_check.passed else SCORED,
        _("%(township)s: spot check on %(date)s — %(result)s.")
        % {
            "township": app.township,
            "date": spot_check.checked_on,
            "result": _("title kept") if spot_check.passed else _("title revoked (摘帽)"),
        },
        app.get_absolute_url(),
    )
