"""The published API description: what an integrator reads before writing a line."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_loads_without_logging_in(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "cchc API"


def test_schema_lists_the_orgs_paths(schema):
    assert {
        "/api/orgs/units",
        "/api/orgs/units/{unit_id}",
        "/api/orgs/units/{unit_id}/children",
        "/api/orgs/units/{unit_id}/history",
        "/api/orgs/restructurings/merge",
        "/api/orgs/me",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/orgs/units"]) == {"get", "post"}
    assert set(schema["paths"]["/api/orgs/units/{unit_id}"]) == {"get", "patch"}


def test_schema_declares_bearer_and_session_auth_on_every_operation(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"]["type"] == "http"
    assert schemes["ApiTokenAuth"]["scheme"] == "bearer"
    assert schemes["SessionAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": schemes["SessionAuth"]["description"],
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"ApiTokenAuth": []} in operation["security"], (method, path)


def test_errors_are_documented(schema):
    create = schema["paths"]["/api/orgs/units"]["post"]["responses"]
    assert set(create) == {"201", "400", "401", "403", "404", "422"}
    assert create["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert create["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ValidationErrorOut")
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"code", "message", "field"}


def test_schemas_describe_fields_in_vietnamese(schema):
    unit = schema["components"]["schemas"]["UnitOut"]["properties"]
    assert unit["closed_on"]["description"].startswith("Ngày cuối cùng")
    assert schema["paths"]["/api/orgs/units"]["get"]["summary"] == "Danh sách đơn vị"


def test_docs_page_uses_local_static_files_only(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "https://"):
        assert cdn not in html
