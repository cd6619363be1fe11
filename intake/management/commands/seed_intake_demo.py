"""Demo grid intake: 莲都区's platform account, its source system and a few reports waiting for triage."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.utils import timezone
from PIL import Image

from townships.choices import Role
from townships.models import County, Membership
from townships.services import DEMO_PASSWORD
from townships.tokens import token_issue

from ...models import IntakeSource
from ...services import grid_event_receive

USERNAME = "liandu-4p"
REPORTS = [
    (
        "GRID-DEMO-1",
        "331102100",
        "road_occupation",
        "沿街店铺出店经营，占用人行道",
        "碧湖镇 下河街 16号",
        "28.2905",
        "119.7952",
    ),
    (
        "GRID-DEMO-2",
        "331102100",
        "sanitation",
        "河道边生活垃圾堆积",
        "碧湖镇 碧湖大道 河滨段",
        "28.2871",
        "119.7990",
    ),
    ("GRID-DEMO-3", "331102102", "", "废弃广告牌松动，有坠落风险", "大港头镇 老街口", None, None),
]


def _photo(color) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, format="JPEG")
    return SimpleUploadedFile("grid.jpg", out.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Add the demo grid platform account (liandu-4p) and three grid reports waiting for triage."

    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"first_name": "莲都区基层治理四平台", "email": "4p@example.invalid"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, role=Role.API_CLIENT, county=County.objects.get(code="331102")
        )
        IntakeSource.objects.get_or_create(
            code=USERNAME, defaults={"name": "莲都区基层治理四平台", "client": user}
        )
        now = timezone.now()
        for index, (external_id, code, track, text, address, lat, lon) in enumerate(REPORTS):
            grid_event_receive(
                by=user,
                source_system=USERNAME,
                external_id=external_id,
                township_code=code,
                reported_at=now - datetime.timedelta(hours=3 * (index + 1)),
                reporter="张网格",
                grid_code=f"LD-{index + 1:02d}",
                category="市容环境",
                track_code=track,
                description=text,
                address=address,
                latitude=Decimal(lat) if lat else None,
                longitude=Decimal(lon) if lon else None,
                photos=[_photo((40 * index, 120, 160))],
            )
        token = token_issue(user=user)
        self.stdout.write(
            self.style.SUCCESS(f"Grid platform account {USERNAME} / {DEMO_PASSWORD}; API token {token.key}")
        )
