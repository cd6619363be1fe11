"""Issue 19 on the township pages: plain numbers with units, and the progress form only for reporters."""

from decimal import Decimal

import pytest

from core.numbers import plain_number
from tests.factories import TargetFactory

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    "value,shown",
    [
        (Decimal("50.00"), "50"),
        (Decimal("50"), "50"),
        (Decimal("12.50"), "12.5"),
        (Decimal("1E+3"), "1000"),
        (None, "—"),
    ],
)
def test_plain_number(value, shown):
    assert plain_number(value) == shown


def test_targets_show_plain_numbers_with_their_unit(client_as, users, township):
    TargetFactory(township=township, quantity=Decimal("50.00"), unit="家")
    client = client_as(users["township_staff"])
    detail = client.get(township.get_absolute_url()).content.decode()
    form = client.get("/progress-reports/new/").content.decode()
    for html in (detail, form):
        assert "5E+1" not in html
    assert "50 家" in detail and "（50 家）" in form


def test_the_progress_form_is_refused_before_it_is_shown(client_as, users, township):
    TargetFactory(township=township, quantity=Decimal("50.00"), unit="家")
    assert client_as(users["inspector"]).get("/progress-reports/new/").status_code == 403
    assert (
        "/progress-reports/new/"
        not in client_as(users["inspector"]).get(township.get_absolute_url()).content.decode()
    )
    assert client_as(users["township_staff"]).get("/progress-reports/new/").status_code == 200
