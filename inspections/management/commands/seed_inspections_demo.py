"""Demo inspections for local screenshots: a round, findings in every state, photos, a bulletin."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate
from PIL import Image, ImageDraw

from townships.models import City, Township, Track

from ...models import Finding, GuidanceVisit, Inspection, InspectionRound, Team, YellowCard
from ...services.bulletins import bulletin_create, bulletin_publish
from ...services.cards import yellow_card_escalate, yellow_card_issue, yellow_card_proposals_generate
from ...services.findings import finding_reject, finding_submit, finding_verify, inspection_create
from ...services.guidance import guidance_follow_up_to_finding, guidance_visit_create
from ...services.secretary import secretary_item_create

PROBLEMS = [
    ("sanitation", "农贸市场周边垃圾堆放，未及时清运", "碧湖镇 农贸市场东侧"),
    ("road_occupation", "沿街店铺出店经营，占用人行道", "碧湖镇 下河街 12-30号"),
    ("line_clutter", "弱电线缆杂乱悬挂，存在安全隐患", "碧湖镇 中山街与新华路口"),
    ("traffic_disorder", "机动车乱停乱放，堵塞消防通道", "碧湖镇 汽车站门口"),
    ("planning", "新建建筑立面风貌与街区不协调", "碧湖镇 老街入口"),
]


def demo_photo(color, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), color)
    ImageDraw.Draw(image).text((20, 20), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Add demo inspections, findings (open, overdue, submitted, sent back, closed) and a bulletin."

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            official = User.objects.get(username="liandu")
            inspector = User.objects.get(username="inspector")
            staff = User.objects.get(username="bihu")
            city_user = User.objects.get(username="city")
        except User.DoesNotExist as exc:
            raise CommandError("Run seed_demo first (demo users missing).") from exc
        if Inspection.objects.filter(summary__startswith="[demo]").exists():
            self.stdout.write("Demo inspections already present.")
        else:
            self._inspections(official, inspector, staff, city_user)
        if not YellowCard.objects.exists():
            self._cards(city_user, staff)
        if not GuidanceVisit.objects.exists():
            self._guidance(official, inspector)

    def _guidance(self, official, inspector):
        """Two specialist visits to 碧湖镇; one follow-up item already on the rectification list."""
        bihu = Township.objects.get(code="331102100")
        sanitation = Track.objects.get(code="sanitation")
        planning = Track.objects.get(code="planning")
        team = Team.objects.create(
            name="莲都区卫生乡镇创建专项组", kind="specialist", track=sanitation, county=bihu.county
        )
        team.members.add(inspector)
        planners = Team.objects.create(
            name="莲都区规划设计专项组", kind="specialist", track=planning, county=bihu.county
        )
        planners.members.add(inspector)
        today = localdate()
        visit = guidance_visit_create(
            by=inspector,
            township=bihu,
            track=sanitation,
            team=team,
            visited_on=today - datetime.timedelta(days=12),
            topics=["policy", "technical"],
            advice="解读卫生乡镇创建标准；建议农贸市场增设分类投放点，背街小巷保洁每日两次。",
            follow_ups=["农贸市场东侧垃圾房改造", "背街小巷保洁频次提高到每日两次"],
            attachments=[demo_photo((90, 120, 60), "guidance")],
        )
        guidance_follow_up_to_finding(
            follow_up_id=visit.follow_ups.order_by("pk").first().pk,
            by=official,
            deadline=today + datetime.timedelta(days=30),
        )
        guidance_visit_create(
            by=inspector,
            township=bihu,
            track=planning,
            team=planners,
            visited_on=today - datetime.timedelta(days=5),
            topics=["plan_review"],
            advice="老街立面改造方案需与历史风貌协调，色彩以白墙黛瓦为主。",
            follow_ups=["修改老街立面方案并报专项组复审"],
        )

    def _cards(self, city_user, staff):
        today = localdate()
        dagangtou = Township.objects.get(code="331102102")
        card = yellow_card_issue(
            by=city_user,
            township=dagangtou,
            reason="督查发现问题整改严重滞后，多项问题超期未销号。",
            findings=Finding.objects.open().filter(township=dagangtou),
        )
        yellow_card_escalate(card_id=card.pk, by=city_user, reason="亮牌一周后仍无实质进展，予以通报批评。")
        bihu = Township.objects.get(code="331102100")
        secretary_item_create(
            by=staff,
            township=bihu,
            description="拆除下河街沿街违章雨棚",
            assigning_leader="镇党委书记",
            promised_date=today - datetime.timedelta(days=6),
            assignee=staff,
            location="下河街 8-20 号",
        )
        secretary_item_create(
            by=staff,
            township=bihu,
            description="完成老街弱电线缆入地",
            assigning_leader="镇党委书记",
            promised_date=today + datetime.timedelta(days=20),
            responsible_person="城建办 刘某",
            location="老街",
        )
        result = yellow_card_proposals_generate(today=today)
        self.stdout.write(self.style.SUCCESS(f"Yellow card {card.pk}; {result.proposals} proposals."))

    def _inspections(self, official, inspector, staff, city_user):
        city = City.objects.get(code="331100")
        today = localdate()
        round_ = InspectionRound.objects.create(
            city=city, name=f"{today.year}年第四季度督查", starts_on=today - datetime.timedelta(days=40)
        )
        team = Team.objects.create(name="市督导第一组", kind="supervision")
        team.members.add(inspector)
        bihu = Township.objects.get(code="331102100")
        tracks = {t.code: t for t in Track.objects.all()}
        findings = []
        for days_ago, township in [(35, bihu), (20, Township.objects.get(code="331102102"))]:
            data = []
            for i, (track, text, place) in enumerate(PROBLEMS):
                data.append(
                    {
                        "track": tracks[track],
                        "description": text if township == bihu else text.replace("碧湖镇", township.name),
                        "location": place.replace("碧湖镇", township.name),
                        "severity": ["minor", "major", "critical"][i % 3],
                        "deadline": today - datetime.timedelta(days=days_ago - 7 - i * 8),
                        "assignee": staff if township == bihu else None,
                        "responsible_person": "" if township == bihu else f"{township.name}城建办",
                        "photos": [demo_photo((150, 60 + i * 30, 60), f"before-{i}")],
                    }
                )
            inspection = inspection_create(
                by=official,
                township=township,
                inspected_on=today - datetime.timedelta(days=days_ago),
                mode="open" if township == bihu else "covert",
                team=team,
                round=round_,
                summary="[demo] 督查发现的问题已录入整改清单。",
                findings=data,
                submit=True,
            )
            findings += list(inspection.findings.order_by("pk"))
        # bihu's first five: one closed, one sent back, two waiting for review, one still open
        first, second, third, fourth = findings[:4]
        for finding in (first, second, third, fourth):
            finding_submit(
                finding_id=finding.pk,
                by=staff,
                note="已组织清理整改。",
                photos=[demo_photo((40, 140, 70), "after")],
            )
        finding_reject(finding_id=second.pk, by=inspector, reason="现场复核仍有部分未整改到位。")
        finding_verify(finding_id=first.pk, by=inspector, note="复核通过，同意销号。")
        bulletin = bulletin_create(
            by=city_user,
            city=city,
            round=round_,
            title=f"关于{round_.name}情况的通报",
            body="各县（市、区）小城镇环境综合整治办公室：\n现将本轮督查发现的问题通报如下，请各地对照问题清单，限期整改到位。",
        )
        bulletin_publish(
            bulletin_id=bulletin.pk, by=city_user, number=f"丽镇治办〔{today.year}〕12号", issued_on=today
        )
        self.stdout.write(
            self.style.SUCCESS(f"{len(findings)} findings, round {round_.pk}, bulletin {bulletin.pk}.")
        )
