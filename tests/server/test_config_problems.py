"""Settings traitlets and the error/redaction rules (pure, no server)."""

from __future__ import annotations

import pytest
from traitlets import TraitError
from traitlets.config import Config

from qrt_lab.runtime.exceptions import (
    IBMNotAuthorizedError,
    RequestsApiError,
    RuntimeJobNotFound,
    RuntimeUnreachableError,
)
from qrt_lab.server.config import QrtLabConfig
from qrt_lab.server.problems import ApiProblem, is_unreachable, problem_from_exception, redact


def test_every_setting_is_configurable_and_documented() -> None:
    traits = QrtLabConfig.class_traits(config=True)
    assert len(traits) >= 10
    for name, trait in traits.items():
        assert trait.help and len(trait.help) > 20, f"{name} needs a help text"


def test_settings_come_from_the_server_config_and_are_validated() -> None:
    config = Config({"QrtLabConfig": {"poll_interval_active": 0.25, "result_top_k": 8}})
    settings = QrtLabConfig(config=config)
    assert settings.poll_interval_active == 0.25 and settings.result_top_k == 8
    with pytest.raises(TraitError, match="positive"):
        QrtLabConfig(poll_interval_idle=0)
    with pytest.raises(TraitError, match="between 1 and 200"):
        QrtLabConfig(poll_page_size=500)


def test_redact_removes_keys_bearer_tokens_and_jwts() -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjF9.c2lnbmF0dXJl"
    text = f"key MYSECRETKEY123 header Bearer abcdefgh12345678 token {jwt} apikey zzzzzzzzzz"
    clean = redact(text, ["MYSECRETKEY123"])
    for secret in ("MYSECRETKEY123", "abcdefgh12345678", jwt, "zzzzzzzzzz"):
        assert secret not in clean
    assert clean.count("***") == 4


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (RequestsApiError("GET /jobs/x failed with HTTP 404", 404), 404, "not_found"),
        (RequestsApiError("cannot cancel", 409), 409, "invalid_state"),
        (RequestsApiError("bad tags", 400), 400, "runtime_rejected"),
        (RuntimeUnreachableError("connection refused", host="h:1"), 502, "runtime_unavailable"),
        (RequestsApiError("maintenance", 503), 502, "runtime_unavailable"),
        (IBMNotAuthorizedError("401"), 424, "account_rejected"),
        (RuntimeJobNotFound("no job"), 404, "not_found"),
        (ValueError("something odd"), 502, "runtime_error"),
    ],
)
def test_runtime_errors_map_to_clear_statuses(exc: Exception, status: int, code: str) -> None:
    problem = problem_from_exception(exc, "job x")
    assert (problem.status, problem.code) == (status, code)
    assert problem.message and problem.hint
    assert set(problem.to_json()) == {"code", "message", "hint"}


def test_problem_json_is_redacted() -> None:
    problem = ApiProblem(400, "bad_request", "key SECRET-KEY-42 rejected", "use SECRET-KEY-42")
    assert "SECRET-KEY-42" not in str(problem.to_json(["SECRET-KEY-42"]))


def test_only_a_missing_response_counts_as_unreachable() -> None:
    assert is_unreachable(RuntimeUnreachableError("refused", host="h:1"))
    assert not is_unreachable(RequestsApiError("maintenance", 503))
    assert not is_unreachable(OSError("refused"))
