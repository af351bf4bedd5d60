"""GET /healthz: the state of the database, and of Redis where it is configured."""

from unittest import mock

import pytest
from django.db import OperationalError


def test_it_reports_a_healthy_database_without_login(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_answers_503_when_the_database_is_down(client, db, settings):
    settings.REDIS_URL = ""
    with mock.patch("taskforce.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_it_answers_503_when_redis_is_configured_but_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "redis": "down"}


@pytest.mark.skipif(
    not __import__("os").environ.get("REDIS_URL"), reason="REDIS_URL not set: no real Redis to check"
)
def test_it_reports_the_real_redis_when_configured(client, db, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "ok"


def test_it_is_never_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
