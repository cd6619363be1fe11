"""Issue 15 (12): the admin hard-deletes nothing that is evidence, deactivates users instead of deleting
them, and a notice cannot be deleted (the next scan would insert and e-mail it again)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from notifications.models import Notification
from tests.factories import ProgressReportFactory, TargetFactory
from tests.inspections.factories import FindingFactory, FindingPhotoFactory, InspectionFactory
from tests.notifications.factories import NotificationFactory
from tests.projects.factories import HouseholdFactory
from townships.models import Membership, ProgressReport

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def root(client):
    user = get_user_model().objects.create_superuser("root", "root@example.invalid", "pass-1234-word")
    client.force_login(user)
    return user


def _refused_everywhere(client, admin_path, obj):
    """The delete page and the changelist's bulk delete both refuse; the row stays."""
    model = type(obj)
    assert client.get(f"/admin/{admin_path}/{obj.pk}/delete/").status_code == 403
    assert client.post(f"/admin/{admin_path}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.get(f"/admin/{admin_path}/")
    assert listing.status_code == 200 and 'value="delete_selected"' not in listing.content.decode()
    client.post(
        f"/admin/{admin_path}/", {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_progress_report_and_its_evidence_stay(client, root, township):
    report = ProgressReportFactory(target=TargetFactory(township=township))
    report.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 evidence"))
    _refused_everywhere(client, "townships/progressreport", report)
    assert ProgressReport.objects.get(pk=report.pk).evidence.storage.exists(report.evidence.name)


@pytest.mark.parametrize(
    "admin_path,make",
    [
        ("inspections/finding", lambda t: FindingFactory(township=t)),
        ("inspections/inspection", lambda t: InspectionFactory(township=t)),
        ("projects/household", lambda t: HouseholdFactory(project__township=t)),
    ],
)
def test_other_evidence_stays(client, root, township, admin_path, make):
    _refused_everywhere(client, admin_path, make(township))


def test_a_photo_cannot_be_removed_through_its_findings_page(client, root, township):
    photo = FindingPhotoFactory(finding=FindingFactory(township=township))
    page = client.get(f"/admin/inspections/finding/{photo.finding_id}/change/").content.decode()
    assert "photos-0-DELETE" not in page
    # the admin lists photos (to retry their copies) and refuses to delete one
    assert client.get(f"/admin/inspections/findingphoto/{photo.pk}/delete/").status_code == 403


def test_a_user_is_deactivated_not_deleted(client, root, users):
    staff = users["township_staff"]
    notice = NotificationFactory(recipient=staff)
    _refused_everywhere(client, "auth/user", staff)
    response = client.post(
        "/admin/auth/user/", {"action": "deactivate", "_selected_action": [staff.pk, root.pk]}, follow=True
    )
    assert response.status_code == 200 and "已停用 1 个用户" in response.content.decode()
    staff.refresh_from_db()
    root.refresh_from_db()
    assert not staff.is_active and root.is_active  # never the admin's own account
    assert (
        Membership.objects.filter(user=staff).exists() and Notification.objects.filter(pk=notice.pk).exists()
    )
    client.force_login(staff)
    assert client.get("/").status_code == 302  # a deactivated user is signed out


def test_a_notification_cannot_be_deleted_so_it_is_never_mailed_twice(client, root, users, mailoutbox):
    from notifications.services.notices import NewNotification, notifications_create

    notice = NotificationFactory(recipient=users["county_official"])
    _refused_everywhere(client, "notifications/notification", notice)
    again = NewNotification(
        recipient_id=notice.recipient_id,
        content_type_id=notice.content_type_id,
        object_id=notice.object_id,
        level=notice.level,
        kind=notice.kind,
        text=notice.text,
    )
    assert notifications_create(rows=[again]) == []  # the kept row still dedupes the next scan
    assert mailoutbox == []
