"""The stated uncertainty widened by the drift of the prediction over earlier calibrations.

On the local service a built-in device keeps three days of calibrations (served by
``backend.properties(datetime=...)``); a device loaded from recorded documents has one.
"""

from __future__ import annotations

import math

import pytest

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.advice import rank_backends
from qrt_lab.runtime.advice.calibration import earlier_calibrations, read_calibration
from qrt_lab.runtime.advice.prediction import (
    EARLIER_CALIBRATIONS,
    RELATIVE_UNCERTAINTY,
    mean_success,
)
from qrt_lab.widgets._advice_rows import candidate_row

from .quality_support import ghz


def test_earlier_calibrations_of_a_built_in_device(service: QiskitRuntimeService) -> None:
    backend = service.backend("local_5q")
    current = read_calibration(backend)
    earlier = earlier_calibrations(backend, current, 5)
    assert len(earlier) == 2, "the two days before today"
    times = [current.calibration_time, *(e.calibration_time for e in earlier)]
    assert times == sorted(times, reverse=True) and len(set(times)) == 3, "newest first"
    assert earlier[0].errors != current.errors, "another day's values"
    assert earlier_calibrations(backend, current, 0) == []


def test_the_uncertainty_spans_the_drift(service: QiskitRuntimeService) -> None:
    circuits = [ghz(4), ghz(4)]
    (best,) = rank_backends(circuits, service, backends=["local_falcon27"], top=1)
    backend = service.backend("local_falcon27")
    earlier = earlier_calibrations(backend, read_calibration(backend), EARLIER_CALIBRATIONS)
    assert best.earlier_calibrations == len(earlier) == 2
    drift = max(abs(mean_success(best.circuits, e) - best.predicted_success) for e in earlier)
    assert best.success_drift == pytest.approx(drift, rel=1e-12) and drift > 0
    model = RELATIVE_UNCERTAINTY * (1 - best.predicted_success)
    assert best.success_uncertainty == pytest.approx(math.hypot(model, drift), rel=1e-12)
    assert best.success_uncertainty >= max(model, drift)
    title = candidate_row(1, best)["success_title"]
    assert title.startswith("error from gates") and "on 2 earlier calibrations" in title


def test_one_calibration_keeps_the_fixed_fraction(service: QiskitRuntimeService) -> None:
    recorded = sorted(b.name for b in service.backends() if b.name.startswith("ibm_"))
    if not recorded:
        pytest.skip("no recorded IBM device documents (/work/shared/data/devices)")
    (best,) = rank_backends(ghz(3), service, backends=recorded[:1], top=1)
    assert best.success_drift is None and best.earlier_calibrations == 0
    model = RELATIVE_UNCERTAINTY * (1 - best.predicted_success)
    assert best.success_uncertainty == pytest.approx(model, rel=1e-12)
    assert "earlier calibration" not in candidate_row(1, best)["success_title"]


def test_earlier_calibrations_are_fetched_once(service: QiskitRuntimeService) -> None:
    """A calibration before the current one cannot change: the second ranking asks nothing."""
    backend = service.backend("local_5q")
    current = read_calibration(backend)
    asked: list[object] = []
    fetch = backend._rest.backend_properties

    def counted(name: str, **params: object) -> object:
        asked.append(params.get("updated_before"))
        return fetch(name, **params)

    backend._rest.backend_properties = counted  # type: ignore[method-assign]
    try:
        first = earlier_calibrations(backend, current, 5)
        asked_first = len(asked)
        again = earlier_calibrations(backend, current, 5)
    finally:
        del backend._rest.backend_properties
    assert len(first) == 2 and len(asked) == asked_first, "the second fetches none again"
    assert [e.errors for e in again] == [e.errors for e in first]
