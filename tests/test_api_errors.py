"""One API error shape (core.api.errors.exception_handler), whatever raised the error, as the schema says."""

import pytest
import yaml

from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]


def test_a_service_refusal_answers_non_field_errors_a_field_rule_the_field(api_as, users, township):
    api = api_as(users["county_official"])
    finding = FindingFactory(township=township)
    refused = api.post(f"/api/v1/findings/{finding.pk}/restore/", {"reason": "试试"}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["non_field_errors"]
    assert all(isinstance(m, str) for m in refused.json()["non_field_errors"])
    bad_field = api.get("/api/v1/findings/", {"status": "nonsense"})
    assert bad_field.status_code == 400 and list(bad_field.json()) == ["status"]


def test_a_service_guard_answers_403_with_its_reason_as_detail(api_as, users, township):
    finding = FindingFactory(township=township, status="submitted")
    response = api_as(users["township_staff"]).post(
        f"/api/v1/findings/{finding.pk}/verify/", {"note": "好"}, format="json"
    )
    assert response.status_code == 403
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_the_schema_documents_the_shape(client, users):
    client.force_login(users["city_office"])
    schema = yaml.safe_load(client.get("/api/schema/").content)
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["detail"] == {"type": "string"}
    assert error["properties"]["non_field_errors"] == {"type": "array", "items": {"type": "string"}}
    restore = schema["paths"]["/api/v1/findings/{id}/restore/"]["post"]["responses"]["400"]
    assert restore["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
