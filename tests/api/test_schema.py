"""The OpenAPI schema: valid, without a warning from drf-spectacular, describing every endpoint, and
published to signed-in people and token holders only."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.api.conftest import client_with_token, token_for
from tests.test_permission_matrix import ROUTES


def test_the_schema_is_valid_with_no_warnings(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "School improvement portal API"


def test_every_endpoint_is_in_the_schema(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    documented = set(yaml.safe_load(path.read_text())["paths"])
    # drf-spectacular names a primary key by its field, id.
    endpoints = {
        "/" + route.route.replace("<int:pk>", "{id}").replace("<int:", "{").replace("<slug:", "{").replace(">", "}")
        for route in ROUTES
        if route.namespace == "api" and route.name not in ("api:index", "api:schema")
    }
    assert endpoints == documented
    assert len(documented) == 14


@pytest.mark.django_db
def test_the_schema_is_published_as_json_and_yaml_to_signed_in_people(colin):
    client = client_with_token(token_for(colin))  # a commissioner: no school endpoint, but the schema
    as_json = client.get(reverse("api:schema"), {"format": "json"})
    assert as_json.status_code == 200
    assert as_json["Content-Type"] == "application/vnd.oai.openapi+json"
    as_yaml = client.get(reverse("api:schema"), {"format": "yaml"})
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content) == json.loads(as_json.content)
    assert set(json.loads(as_json.content)["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    assert Client().get(reverse("api:schema")).status_code == 401
