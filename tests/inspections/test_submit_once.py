"""Issue 15 item 9: two quick submits of one rendered form create one inspection (and one bulletin)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from core.models import SubmissionToken
from inspections.models import Bulletin, Inspection


def _inspection_data(client, township):
    page = client.get("/inspections/new/")
    token = page.context["form"]["submission_token"].value()
    assert f'value="{token}"' in page.content.decode()  # rendered with the form, as a hidden field
    return {
        "submission_token": str(token),
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "100",
        "findings-0-description": "垃圾堆放未清理",
        "findings-0-deadline": "2030-06-30",
        "findings-0-severity": "minor",
        "submit": "1",
    }


@pytest.mark.django_db
def test_a_double_submit_creates_one_inspection(client_as, users, township):
    client = client_as(users["county_official"])
    data = _inspection_data(client, township)
    first = client.post("/inspections/new/", data)
    second = client.post("/inspections/new/", data)
    inspection = Inspection.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == inspection.get_absolute_url()
    assert inspection.findings.count() == 1
    # A new rendering of the form is a new token: a second inspection on purpose is still possible.
    assert client.post("/inspections/new/", _inspection_data(client, township)).status_code == 302
    assert Inspection.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_submit_does_not_use_up_the_token(client_as, users, township):
    client = client_as(users["county_official"])
    data = _inspection_data(client, township)
    refused = client.post("/inspections/new/", {**data, "findings-0-deadline": ""})
    assert refused.status_code == 400 and not Inspection.objects.exists()
    assert not SubmissionToken.objects.exists()
    assert client.post("/inspections/new/", data).status_code == 302
    assert Inspection.objects.count() == 1


@pytest.mark.django_db
def test_another_user_cannot_replay_a_token(client_as, users, township):
    data = _inspection_data(client_as(users["county_official"]), township)
    assert client_as(users["county_official"]).post("/inspections/new/", data).status_code == 302
    other = Client()
    other.force_login(users["city_office"])
    response = other.post("/inspections/new/", data)
    assert response.status_code == 302 and response["Location"] == "/"  # nothing of the first is shown
    assert Inspection.objects.count() == 1


@pytest.mark.django_db
def test_a_double_submit_creates_one_bulletin(client_as, users):
    client = client_as(users["city_office"])
    token = client.get("/inspections/bulletins/new/").context["form"]["submission_token"].value()
    data = {
        "submission_token": str(token),
        "title": "督查通报",
        "number": "",
        "body": "",
        "issuing_office": "丽水市小城镇环境综合整治行动领导小组办公室",
    }
    assert client.post("/inspections/bulletins/new/", data).status_code == 302
    assert client.post("/inspections/bulletins/new/", data).status_code == 302
    assert Bulletin.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_create_one_inspection(users, township):
    user = users["county_official"]
    first = Client()
    first.force_login(user)
    data = _inspection_data(first, township)
    start = threading.Barrier(2)
    answers = []

    def submit():
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            answers.append(client.post("/inspections/new/", data))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    inspection = Inspection.objects.get()
    assert [a.status_code for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {inspection.get_absolute_url()}
