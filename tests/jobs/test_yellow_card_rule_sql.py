"""The yellow-card rule writes its long-overdue proposals with one INSERT … SELECT: the same rows,
keys and details the rule built one by one in Python (inspections.services.cards._detail)."""

import datetime

import pytest
from django.utils import timezone

from inspections.choices import ProposalReason
from inspections.models import YellowCard, YellowCardProposal
from inspections.services.cards import _detail, yellow_card_issue, yellow_card_proposals_generate
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]

TODAY = datetime.date(2026, 6, 30)
LONG = "河道沿线违章搭建与堆放杂物未清理，群众多次反映。  影响村容村貌，需在两周内全部拆除并恢复原状，县级督办事项"


def _ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def test_long_overdue_proposals_match_the_python_rule(township, lishui, users, settings):
    lianzhu = lishui.get(code="331102103")  # 老竹畲族镇, a second township of 莲都区
    settings.YELLOW_CARD_ESCALATE_AFTER_DAYS = 14
    settings.YELLOW_CARD_OVERDUE_COUNT = 99  # only the long-overdue trigger here
    fresh = FindingFactory(township=lianzhu, deadline=_ago(45), description=LONG)  # no card: issue
    carded = FindingFactory(township=township, deadline=_ago(31), description="短")  # card 20 days old
    card = yellow_card_issue(by=users["city_office"], township=township, reason="滞后", findings=[carded])
    issued = timezone.make_aware(datetime.datetime.combine(_ago(20), datetime.time(10)))
    YellowCard.objects.filter(pk=card.pk).update(issued_at=issued)

    assert yellow_card_proposals_generate(today=TODAY).proposals == 2
    by_finding = {p.finding_id: p for p in YellowCardProposal.objects.all()}
    issue, escalate = by_finding[fresh.pk], by_finding[carded.pk]
    assert (issue.kind, issue.card_id, issue.card_level, issue.township_id) == ("issue", None, "", lianzhu.pk)
    assert issue.key == f"long_overdue:{fresh.pk}:new:"
    assert issue.detail == _detail(ProposalReason.LONG_OVERDUE, finding=fresh, days=45)
    assert issue.detail == f"“{LONG[:60]}”超过整改期限 45 天仍未销号。"
    assert (escalate.kind, escalate.card_id, escalate.card_level) == ("escalate", card.pk, "warning")
    assert escalate.key == f"long_overdue:{carded.pk}:{card.pk}:warning"
    assert escalate.detail == _detail(ProposalReason.LONG_OVERDUE, finding=carded, days=31)
    assert (issue.status, issue.overdue_count, issue.decision_note) == ("proposed", 0, "")

    # A rerun adds nothing; a card changed lately holds its township's proposals back.
    assert yellow_card_proposals_generate(today=TODAY).proposals == 0
    YellowCardProposal.objects.all().delete()
    YellowCard.objects.filter(pk=card.pk).update(issued_at=timezone.now())
    yellow_card_proposals_generate(today=TODAY)
    assert set(YellowCardProposal.objects.values_list("finding_id", flat=True)) == {fresh.pk}
