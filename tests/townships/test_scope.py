import pytest

from townships.choices import Role
from townships.scope import has_role, is_read_only, roles_for, visible_counties, visible_townships

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("province", 173),
        ("city_office", 173),
        ("county_official", 15),
        ("inspector", 15),
        ("township_staff", 1),
        ("api_client", 173),
    ],
)
def test_visible_townships_per_role(users, role, expected):
    assert visible_townships(users[role]).count() == expected


def test_user_without_membership_sees_nothing(lishui, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert visible_townships(nobody).count() == 0
    assert visible_counties(nobody).count() == 0


def test_roles_for_township(users, township, other_township):
    official = users["county_official"]
    assert roles_for(official, township) == {Role.COUNTY_OFFICIAL}
    assert roles_for(official, other_township) == set()
    assert has_role(users["city_office"], [Role.CITY_OFFICE], other_township)
    assert not has_role(users["township_staff"], [Role.COUNTY_OFFICIAL, Role.INSPECTOR], township)


def test_read_only_roles(users):
    assert is_read_only(users["province"])
    assert is_read_only(users["api_client"])
    assert not is_read_only(users["county_official"])


def test_scope_costs_one_query(users, django_assert_num_queries):
    user = users["county_official"]
    with django_assert_num_queries(3):  # memberships once, then two counts
        visible_townships(user).count()
        roles_for(user)
        visible_townships(user).count()
