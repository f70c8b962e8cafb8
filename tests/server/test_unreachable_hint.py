"""An unreachable runtime says what to do: start the local service, or check URL and network."""

from __future__ import annotations

from qrt_lab.runtime.exceptions import RuntimeUnreachableError
from qrt_lab.server.problems import LOCAL_STOPPED_HINT, problem_from_exception


def _refused() -> RuntimeUnreachableError:
    return RuntimeUnreachableError(
        "Could not reach the host 127.0.0.1:9 (connection refused).", host="127.0.0.1:9"
    )


def test_a_stopped_local_service_says_how_to_start_it() -> None:
    problem = problem_from_exception(_refused(), "the jobs list", local=True)
    assert (problem.status, problem.code) == (502, "runtime_unavailable")
    assert problem.hint == LOCAL_STOPPED_HINT
    assert "python -m qrt_lab.local serve" in problem.hint
    assert "127.0.0.1:9" in problem.message


def test_an_unreachable_cloud_runtime_points_at_url_and_network() -> None:
    problem = problem_from_exception(_refused(), "the jobs list")
    assert problem.code == "runtime_unavailable"
    assert "qrt_lab.local" not in problem.hint
    assert "network" in problem.hint
