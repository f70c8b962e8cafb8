"""The job-event diff of two listings (what the live monitor and the widgets push)."""

from __future__ import annotations

from typing import Any

from qrt_lab.runtime.summaries.job_events import apply_listing


def job(jid: str, status: str, session: str | None = None, **extra: Any) -> dict[str, Any]:
    state = {"status": status}
    row = {"id": jid, "state": state, "created": "2026-01-01T00:00:00Z", "backend": "fake"}
    return {**row, "program": {"id": "sampler"}, "session_id": session, **extra}


def test_new_jobs_are_created_and_completed_ones_result_ready() -> None:
    known: dict[str, dict[str, Any]] = {}
    events = apply_listing(known, {"a": job("a", "Queued"), "b": job("b", "Completed")})
    assert [(e["event"], e["job"]["id"]) for e in events] == [
        ("created", "a"),
        ("created", "b"),
        ("result_ready", "b"),
    ]
    assert set(known) == {"a", "b"} and known["b"]["final"]


def test_status_change_names_the_previous_status_and_hints_the_session() -> None:
    known: dict[str, dict[str, Any]] = {}
    apply_listing(known, {"a": job("a", "Running", "s1")})
    events = apply_listing(known, {"a": job("a", "Completed", "s1")})
    assert [e["event"] for e in events] == ["status", "result_ready", "changed"]
    assert events[0]["previous"] == "Running" and events[0]["job"]["status"] == "Completed"
    assert events[2] == {"type": "session", "event": "changed", "id": "s1"}


def test_other_changes_are_updates_and_nothing_changed_is_silent() -> None:
    known: dict[str, dict[str, Any]] = {}
    apply_listing(known, {"a": job("a", "Running")})
    assert apply_listing(known, {"a": job("a", "Running")}) == []
    events = apply_listing(known, {"a": job("a", "Running", tags=["x"])})
    assert [e["event"] for e in events] == ["updated"] and events[0]["job"]["tags"] == ["x"]


def test_skipped_ids_are_neither_stored_nor_announced() -> None:
    known: dict[str, dict[str, Any]] = {}
    assert apply_listing(known, {"gone": job("gone", "Queued")}, skip={"gone"}) == []
    assert known == {}
