"""Names and ids that go into URL paths reach the service as one segment, whatever they contain.

A backend name or job id with ``/``, ``..``, spaces or control characters is looked up (and not
found) on the real local service: never another route, never ``httpx.InvalidURL``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit.providers.exceptions import QiskitBackendNotFoundError

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.rest import _segment
from qrt_lab.runtime.exceptions import RuntimeJobNotFound

TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["..", ".", "a/b", "../jobs", "%2F", "?x=1", "#", "local_5q/../x"]),
)


@pytest.mark.parametrize("value", ["..", ".", "a/b", "\x00", "a b", "%", "ü", ""])
def test_a_segment_has_no_slash_and_is_not_a_dot_segment(value: str) -> None:
    segment = _segment(value)
    assert "/" not in segment and segment not in (".", "..")
    assert all(33 <= ord(c) < 127 for c in segment)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=TEXT)
def test_any_backend_name_is_found_or_not_found(
    our_service: QiskitRuntimeService, name: str
) -> None:
    try:
        backend = our_service.backend(name)
    except QiskitBackendNotFoundError as err:
        assert "service.backends()" in str(err)
    else:
        assert backend.name == name


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(job_id=TEXT)
def test_any_job_id_is_found_or_not_found(our_service: QiskitRuntimeService, job_id: str) -> None:
    with pytest.raises(RuntimeJobNotFound, match=r"service\.jobs\(\)"):
        our_service.job(job_id)
