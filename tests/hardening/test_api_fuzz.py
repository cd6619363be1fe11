"""schemathesis over every operation of /api/schema/, as each role and anonymously.

Each generated case is sent twice per role: as generated (mostly unknown ids: 404, bad bodies: 400) and
with the path id replaced by a real object in the users' scope, so detail answers and workflow
transitions are checked against the schema too. Checks: no server error, the status code, content type
and body are the ones the schema documents. Bounded by FUZZ_EXAMPLES (default 2) per operation.
"""

import os

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("province", "city_office", "county_official", "inspector", "township_staff", "api_client")

# The first path segment → the in-scope object its {id} names.
REAL_IDS = {
    "acceptance-applications": lambda w, role: w["in"]["application"].pk,
    "acceptance-plans": lambda w, role: w["in"]["plan_entry"].pk,
    "acceptance-schemes": lambda w, role: w["in"]["scheme"].pk,
    "acceptance-spot-checks": lambda w, role: w["in"]["spot_check"].pk,
    "experts": lambda w, role: w["expert"].pk,
    "bulletins": lambda w, role: w["in"]["bulletin"].pk,
    "cities": lambda w, role: w["in"].city.pk,
    "counties": lambda w, role: w["in"].county.pk,
    "cleaners": lambda w, role: w["in"]["cleaner"].pk,
    "deductions": lambda w, role: w["in"]["deduction"].pk,
    "findings": lambda w, role: w["in"]["finding"].pk,
    "guidance-visits": lambda w, role: w["in"]["guidance"].pk,
    "households": lambda w, role: w["in"]["household"].pk,
    "inspection-rounds": lambda w, role: w["in"]["round"].pk,
    "inspections": lambda w, role: w["in"]["inspection"].pk,
    "intake": lambda w, role: w["in"]["grid_event"].pk,
    "milestones": lambda w, role: w["in"]["milestone"].pk,
    "notifications": lambda w, role: w["in"]["notifications"][w["users"][role].username].pk,
    "progress-reports": lambda w, role: w["in"]["progress"].pk,
    "projects": lambda w, role: w["in"]["project"].pk,
    "rankings": lambda w, role: w["in"]["entry"].pk,
    "targets": lambda w, role: w["in"]["target"].pk,
    "teams": lambda w, role: w["in"]["team"].pk,
    "townships": lambda w, role: w["in"].township.pk,
    "tracks": lambda w, role: w["in"]["target"].track_id,
    "warnings": lambda w, role: w["in"]["snapshot"].pk,
    "yellow-card-proposals": lambda w, role: w["in"]["proposal"].pk,
    "yellow-cards": lambda w, role: w["in"]["card"].pk,
}


@pytest.fixture
def api_schema(world, settings):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the connection that holds the test's
    # transaction (the world lives in it).
    # Set once here: an assignment inside the Hypothesis body would stack one override per example.
    settings.MEDIA_ROOT = world["media"]
    settings.DEBUG_PROPAGATE_EXCEPTIONS = bool(os.environ.get("FUZZ_DEBUG"))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")
# FUZZ_PATH=regex narrows the run to some operations (when chasing one failure). On the lazy schema: an
# include() on the fixture's loaded schema is not seen by parametrize() (every operation still ran).
if os.environ.get("FUZZ_PATH"):
    schema = schema.include(path_regex=os.environ["FUZZ_PATH"])


@pytest.fixture
def tokens(world):
    from rest_framework.authtoken.models import Token

    return {role: Token.objects.get_or_create(user=world["users"][role])[0].key for role in ROLES}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_for_every_role(case, world, tokens):
    for role in (*ROLES, None):
        headers = {"Authorization": f"Token {tokens[role]}"} if role else {}
        cases = [case]
        if role and "id" in (case.path_parameters or {}):
            segment = case.operation.path.split("/")[3]
            cases.append(
                case.operation.Case(
                    path_parameters={**case.path_parameters, "id": REAL_IDS[segment](world, role)},
                    query=case.query,
                    body=case.body,
                    media_type=case.media_type,
                )
            )
        for each in cases:
            isolated(each, headers)


def isolated(case, headers):
    """One request in its own savepoint: its writes (or a failed statement) never reach the next one."""
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
