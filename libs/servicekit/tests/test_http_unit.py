"""Domain errors become 4xx bodies naming the field; only the mapping knows HTTP."""

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from servicekit.http import install_error_handlers


class PlanNotFound(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


class PlanInvalid(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app, {PlanNotFound: 404, PlanInvalid: 422})

    @app.get("/missing")
    async def missing() -> None:
        raise PlanNotFound("plan_id", "no care plan 'X'")

    @app.get("/invalid")
    async def invalid() -> None:
        raise PlanInvalid([("items.0.units", "must be positive"), ("reason", "is required")])

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("a bug")

    @app.get("/starting")
    async def starting() -> None:
        raise asyncpg.CannotConnectNowError("the database system is starting up")

    @app.get("/refused")
    async def refused() -> None:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    return TestClient(app, raise_server_exceptions=False)


def test_a_mapped_domain_error_gets_its_status_and_names_the_field() -> None:
    response = client().get("/missing")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": "plan_id", "message": "no care plan 'X'"}]}


def test_every_field_of_a_multi_field_error_is_reported() -> None:
    response = client().get("/invalid")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["items.0.units", "reason"]


def test_an_unmapped_error_is_a_500_without_details() -> None:
    response = client().get("/bug")
    assert response.status_code == 500
    assert "a bug" not in response.text


@pytest.mark.parametrize(("path", "part"), [("/starting", "database"), ("/refused", "network")])
def test_an_infrastructure_failure_is_a_503_with_retry_after(path: str, part: str) -> None:
    response = client().get(path, headers={"X-Correlation-ID": "c-1"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.json()
    assert body["unavailable"] == part and body["retry_after_seconds"] == 5
    assert body["errors"][0]["message"] == (
        f"The service is unavailable ({part}). Try again in 5 seconds."
    )
    assert body["correlation_id"] == "c-1"
    assert "5432" not in response.text and "starting up" not in response.text
