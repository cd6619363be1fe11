"""One of every object the pages and endpoints address, once in the users' scope and once outside it.

"In scope" objects belong to 碧湖镇 (莲都区, 丽水市), which every fixture user of tests/conftest.py can see.
"Out of scope" objects belong to a township of another city (温州市), which only the province sees, so
every scoped role — city office, API client, county official, inspector, township staff — must get 404.
A second city with its own users (测试市, imported through townships_import_csv as on the staged server)
writes to the "in" objects: every one of its roles must get 404 (403 for a read-only role's API write).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from inspections.models import (
    Bulletin,
    Deduction,
    GuidanceAttachment,
    GuidanceFollowUp,
    GuidanceVisit,
    InspectionRound,
    Team,
    YellowCard,
    YellowCardProposal,
)
from intake.models import GridEvent, GridEventPhoto, IntakeSource
from notifications.crypto import encrypt
from notifications.models import Channel, ExportJob, Notification
from projects.models import AgentOwner
from standings.models import Ranking, RankingEntry, WarningSnapshot
from tests.factories import CityFactory, CountyFactory, TargetFactory, TownshipFactory, UserFactory, track
from tests.inspections.factories import FindingFactory, FindingPhotoFactory, InspectionFactory
from tests.projects.factories import HouseholdFactory, MilestoneFactory, ProjectFactory
from townships.models import ProgressReport

PERIOD = "2026-10"


@dataclass
class Side:
    """The objects of one side (in or out of scope)."""

    township: object = None
    county: object = None
    city: object = None
    objects: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


def _side(township, city, users_for_notifications) -> Side:
    side = Side(township=township, county=township.county, city=city)
    staff = UserFactory()
    target = TargetFactory(township=township, track=track("sanitation"))
    progress = ProgressReport.objects.create(
        target=target,
        reported_on=datetime.date(2026, 10, 1),
        cumulative_quantity=Decimal("3"),
        reported_by=staff,
        evidence=f"evidence/progress/{township.code}.jpg",
    )
    inspection = InspectionFactory(township=township, filed_by=staff)
    finding = FindingFactory(township=township, inspection=inspection, status="submitted")
    photo = FindingPhotoFactory(finding=finding, uploaded_by=staff)
    secretary = FindingFactory(
        township=township,
        source="secretary",
        assigning_leader="王书记",
        promised_date=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 1, 1),
        reply_required=True,
    )
    round_ = InspectionRound.objects.create(
        city=city, name=f"{city.name}第一轮督查", starts_on=datetime.date(2026, 3, 1)
    )
    bulletin = Bulletin.objects.create(
        city=city,
        round=round_,
        title=f"{city.name}督查通报",
        created_by=staff,
        status="published",
        number="丽镇治办〔2026〕1号",
        issued_on=datetime.date(2026, 3, 20),
        published_by=staff,
        published_at=timezone.now(),
    )
    bulletin.findings.set([finding])
    draft = Bulletin.objects.create(
        city=city, round=round_, title=f"{city.name}督查通报（草稿）", created_by=staff
    )
    team = Team.objects.create(
        name=f"{township.county.name}督导组", kind="supervision", county=township.county
    )
    card = YellowCard.objects.create(township=township, reason="整改滞后", issued_by=staff)
    card.findings.set([finding])
    proposal = YellowCardProposal.objects.create(
        township=township,
        kind="issue",
        reason="overdue_count",
        key=f"k{township.pk}",
        detail="逾期问题较多",
    )
    deduction = Deduction.objects.create(
        finding=secretary,
        township=township,
        person=staff,
        kind="amount",
        value=Decimal("500"),
        days_overdue=30,
    )
    project = ProjectFactory(township=township)
    milestone = MilestoneFactory(project=project)
    household = HouseholdFactory(project=project)
    snapshot = WarningSnapshot.objects.create(
        period=PERIOD,
        township=township,
        county=township.county,
        category=township.category,
        colour="red",
        taken_at=timezone.now(),
    )
    from cleaners.models import Cleaner

    cleaner = Cleaner.objects.create(township=township, name="保洁员", area="主街")
    source = IntakeSource.objects.create(
        code=f"grid-{township.code}", name=f"{township.county.name}基层治理四平台", client=UserFactory()
    )
    grid_event = GridEvent.objects.create(
        source=source,
        external_id="E-1",
        township=township,
        reported_at=timezone.now(),
        reporter="张网格",
        description="店外乱堆杂物",
    )
    grid_photo = GridEventPhoto.objects.create(
        event=grid_event,
        original=f"evidence/grid/original/{township.code}.jpg",
        thumbnail=f"evidence/grid/thumb/{township.code}.jpg",
        content_type="image/jpeg",
        size=100,
        sha256="0" * 64,
    )
    specialists = Team.objects.create(
        name=f"{township.county.name}卫生专项组",
        kind="specialist",
        county=township.county,
        track=target.track,
    )
    guidance = GuidanceVisit.objects.create(
        township=township,
        track=target.track,
        team=specialists,
        visited_on=datetime.date(2026, 10, 8),
        topics=["policy"],
        advice="落实门前三包",
        created_by=staff,
    )
    follow_up = GuidanceFollowUp.objects.create(visit=guidance, description="垃圾房改造")
    guidance_attachment = GuidanceAttachment.objects.create(
        visit=guidance,
        file=f"evidence/guidance/{township.code}.jpg",
        original_name="现场.jpg",
        content_type="image/jpeg",
        size=100,
        sha256="1" * 64,
        uploaded_by=staff,
    )
    acceptance = acceptance_objects(township, city, staff)
    side.objects = {
        **acceptance,
        "cleaner": cleaner,
        "guidance": guidance,
        "follow_up": follow_up,
        "guidance_attachment": guidance_attachment,
        "grid_event": grid_event,
        "grid_photo": grid_photo,
        "user": staff,
        "target": target,
        "progress": progress,
        "inspection": inspection,
        "finding": finding,
        "photo": photo,
        "secretary": secretary,
        "round": round_,
        "bulletin": bulletin,
        "team": team,
        "card": card,
        "proposal": proposal,
        "deduction": deduction,
        "project": project,
        "milestone": milestone,
        "household": household,
        "snapshot": snapshot,
        "draft_bulletin": draft,
    }
    side.objects["channel"] = Channel.objects.create(
        name=f"{township.county.name}群",
        kind="dingtalk",
        city=city,
        county=township.county,
        webhook_encrypted=encrypt("https://oapi.dingtalk.com/robot/send?access_token=matrix"),
        webhook_hint="https://oapi.dingtalk.com/robot/send?…",
    )
    # Every user's inbox holds one notice about the side's finding; "out" notices belong to someone else.
    finding_type = ContentType.objects.get_for_model(finding)
    side.objects["notifications"] = {
        user.username: Notification.objects.create(
            recipient=user,
            kind="finding",
            level="overdue",
            content_type=finding_type,
            object_id=finding.pk,
            text="问题已逾期",
            link=finding.get_absolute_url(),
        )
        for user in users_for_notifications
    }
    # Every user has one finished export (its file written by the world fixture); "out" ones are someone else's.
    side.objects["export_jobs"] = {
        user.username: ExportJob.objects.create(
            user=user,
            name="inspections.findings",
            title="整改台账",
            format="csv",
            status="done",
            total=1,
            rows_done=1,
            file=f"exports/{user.pk}/{township.pk}.csv",
            filename="整改台账_20261201.csv",
        )
        for user in users_for_notifications
    }
    return side


def acceptance_objects(township, city, staff) -> dict:
    """A plan entry (proposed), an application with a scheduled county review, a spot check (issue 17)."""
    from acceptance.models import Application, PlanEntry, Review, Scheme, SpotCheck

    scheme = Scheme.objects.filter(year=2026).first() or Scheme.objects.create(year=2026, title="考核办法")
    entry = PlanEntry.objects.create(year=2026, city=city, township=township, proposed_by=staff)
    application = Application.objects.create(
        plan_entry=entry,
        township=township,
        year=2026,
        scheme=scheme,
        self_score=Decimal("80"),
        filed_by=staff,
    )
    review = Review.objects.create(
        application=application, level="county", reviewed_on=datetime.date(2026, 6, 1), scheduled_by=staff
    )
    spot_check = SpotCheck.objects.create(
        application=application,
        township=township,
        checked_on=datetime.date(2026, 10, 1),
        passed=True,
        recorded_by=staff,
    )
    return {
        "plan_entry": entry,
        "application": application,
        "review": review,
        "spot_check": spot_check,
        "scheme": scheme,
    }


def build_world(users: dict, township) -> dict:
    """{"in": Side, "out": Side, "agent": AgentOwner, "ranking": Ranking}."""
    wenzhou = CityFactory(code="330300", name="温州市")
    lucheng = CountyFactory(city=wenzhou, code="330302", name="鹿城区")
    # Outside Lishui's programme: the ranking is Lishui's alone, so its city office publishes it (issue 15).
    far = TownshipFactory(
        county=lucheng, code="330302100", name="藤桥镇", official_name="藤桥镇", in_programme=False
    )
    stranger = UserFactory(username="stranger")
    in_side = _side(township, township.county.city, users.values())
    out_side = _side(far, wenzhou, [stranger])
    out_side.objects["notifications"] = {
        user.username: out_side.objects["notifications"]["stranger"] for user in users.values()
    }
    out_side.objects["export_jobs"] = {
        user.username: out_side.objects["export_jobs"]["stranger"] for user in users.values()
    }
    agent = AgentOwner.objects.create(company="丽水城建代建公司")
    from acceptance.models import Expert

    expert = Expert.objects.create(name="王专家", unit="丽水市建设局")
    ranking = Ranking.objects.create(period=PERIOD)
    for side in (in_side, out_side):
        snapshot = side["snapshot"]
        side.objects["entry"] = RankingEntry.objects.create(
            ranking=ranking,
            snapshot=snapshot,
            township=snapshot.township,
            county=snapshot.county,
            category=snapshot.category,
            score=Decimal("80"),
            county_rank=1,
            category_rank=1,
        )
    return {"in": in_side, "out": out_side, "agent": agent, "ranking": ranking, "expert": expert}


def second_city_users() -> dict:
    """One user per scoped role of 测试市 (its county and township for the county- and township-level roles)."""
    from tests.factories import make_member, second_city
    from townships.choices import Role

    city, county, township = second_city()
    return {
        "city_office": make_member(Role.CITY_OFFICE, username="t-city", city=city),
        "county_official": make_member(Role.COUNTY_OFFICIAL, username="t-county", county=county),
        "inspector": make_member(Role.INSPECTOR, username="t-inspector", county=county),
        "township_staff": make_member(Role.TOWNSHIP_STAFF, username="t-staff", township=township),
        "api_client": make_member(Role.API_CLIENT, username="t-api", city=city),
    }
