"""The refresh job (command, eager task, real worker), scope of the overview, and list query budgets."""

import datetime

import pytest
from django.core.management import call_command

from standings.models import Ranking, RankingEntry, TownshipStanding, WarningSnapshot
from standings.services import period_of, ranking_compute, standings_refresh
from tests.standings.factories import AS_OF

pytestmark = [pytest.mark.django_db]


def test_command_refreshes_and_snapshots_a_past_month(many_townships, capsys):
    many_townships(3)
    call_command("refresh_standings", "--as-of", AS_OF.isoformat(), "--snapshot")
    assert TownshipStanding.objects.filter(township__code__startswith="3399").count() == 3
    assert WarningSnapshot.objects.filter(period="2026-03", township__code__startswith="3399").count() == 3
    assert "2026-03" in capsys.readouterr().out


def test_command_rejects_a_bad_date(lishui):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("refresh_standings", "--as-of", "2026-02-30")


def test_task_runs_the_service_and_reruns_harmlessly(many_townships):
    from standings.tasks import refresh_standings_task

    many_townships(3)
    period = refresh_standings_task()
    assert period == period_of(datetime.date.today())
    first = list(
        WarningSnapshot.objects.filter(period=period)
        .order_by("township_id")
        .values_list("township_id", "colour")
    )
    refresh_standings_task()
    assert first == list(
        WarningSnapshot.objects.filter(period=period)
        .order_by("township_id")
        .values_list("township_id", "colour")
    )
    assert Ranking.objects.filter(period=period, status="draft").count() == 1


@pytest.mark.celery_worker
def test_task_on_a_real_worker(celery_worker_process, many_townships):
    from standings.tasks import refresh_standings_task

    many_townships(2)
    result = refresh_standings_task.apply_async(queue=celery_worker_process["queue"])
    assert result.get(timeout=60) == period_of(datetime.date.today())
    assert TownshipStanding.objects.filter(township__code__startswith="3399").count() == 2


def test_township_staff_overview_covers_only_their_township(client_as, users, many_townships, township):
    many_townships(6)
    standings_refresh(as_of=AS_OF)
    response = client_as(users["township_staff"]).get("/")
    assert response.context["totals"]["townships"] == 1
    assert [c["county__code"] for c in response.context["counties"]] == ["331102"]


def _pages(many_townships, n):
    many_townships(n)
    RankingEntry.objects.all().delete()
    WarningSnapshot.objects.all().delete()
    Ranking.objects.all().delete()
    standings_refresh(as_of=AS_OF)
    for month in range(1, n + 1 if n < 12 else 13):
        ranking_compute(period=f"2025-{month:02d}")


def test_ranking_list_page_queries(client_as, users, many_townships, django_assert_num_queries):
    client = client_as(users["city_office"])
    _pages(many_townships, 1)
    # session, user with memberships, the cities ranked (who may publish), count, page, notifications badge
    with django_assert_num_queries(6):
        assert client.get("/standings/rankings/").context["paginator"].count == 1
    _pages(many_townships, 30)
    with django_assert_num_queries(6):
        assert client.get("/standings/rankings/").context["paginator"].count == 12


def test_ranking_detail_page_queries(client_as, users, many_townships, django_assert_num_queries):
    client = client_as(users["city_office"])
    _pages(many_townships, 1)
    # session, user with memberships, ranking, the cities ranked (who may publish), county filter,
    # count, page, red flags, county options, notifications
    with django_assert_num_queries(10):
        page = client.get("/standings/rankings/2025-01/", {"county": "339900"})
    assert page.context["paginator"].count == 1
    _pages(many_townships, 150)
    with django_assert_num_queries(10):
        page = client.get("/standings/rankings/2025-01/", {"county": "339900"})
    assert page.context["paginator"].count == 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_do_not_collide(many_townships):
    """Beat, "refresh now" and a publication may overlap: the advisory lock serialises them."""
    import threading

    from django.db import connection as default_connection

    many_townships(30)
    errors = []

    def run():
        try:
            for _ in range(3):
                standings_refresh(as_of=AS_OF)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            default_connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert TownshipStanding.objects.filter(township__code__startswith="3399").count() == 30
