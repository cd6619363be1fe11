"""The project page's actions behave as every action page does (core.views.ActionView): success
redirects with a message; bad input or a refused state change shows the page again with 400, the
errors where they were typed, and nothing changed."""

import pytest

from projects.models import Project, ProjectProgress

pytestmark = [pytest.mark.django_db]


def test_a_valid_progress_report_redirects_with_a_message(client_as, users, project):
    client = client_as(users["township_staff"])
    response = client.post(f"/projects/{project.pk}/progress/", {"percent": 30, "reported_on": "2026-04-01"})
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert "进度已填报。" in client.get(response.url).content.decode()
    assert ProjectProgress.objects.filter(project=project, percent=30).count() == 1


def test_bad_input_shows_the_page_again_with_the_form_open_and_its_errors(client_as, users, project):
    client = client_as(users["township_staff"])
    response = client.post(f"/projects/{project.pk}/progress/", {"percent": 140, "reported_on": "2026-04-01"})
    assert response.status_code == 400
    form = response.context["progress_form"]
    assert form.is_bound and "percent" in form.errors
    page = response.content.decode()
    assert '<details class="project-details" open>' in page and 'value="140"' in page
    assert form.errors["percent"][0] in page
    assert not ProjectProgress.objects.exists()


def test_a_refused_state_change_shows_the_page_again_with_the_reason(client_as, users, project):
    client = client_as(users["township_staff"])
    response = client.post(f"/projects/{project.pk}/advance/", {"to_status": "completed", "on": "2026-04-01"})
    assert response.status_code == 400
    assert "须先批准" in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == project.status


def test_a_role_that_may_not_act_gets_403_before_the_form_is_read(client_as, users, project):
    response = client_as(users["inspector"]).post(f"/projects/{project.pk}/progress/", {})
    assert response.status_code == 403
