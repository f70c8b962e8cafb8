"""Settings of the qrt-lab server extension (``c.QrtLabConfig.<name>`` in jupyter_server_config)."""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Float, Int, TraitError, Unicode, validate
from traitlets.config import Configurable

__all__ = ["QrtLabConfig"]


class QrtLabConfig(Configurable):
    """Poll intervals, cache lifetimes and the local runtime service of the server extension."""

    poll_interval_active = Float(
        1.0,
        help="Seconds between job-list polls while a watched job or session is not final.",
    ).tag(config=True)
    poll_interval_idle = Float(
        3.0,
        help="Seconds between polls when nothing is running but someone is subscribed "
        "(a sidebar is open): a job submitted from a kernel shows up within this time.",
    ).tag(config=True)
    poll_backoff_max = Float(
        60.0,
        help="Longest wait between polls while the runtime is unreachable (doubling backoff).",
    ).tag(config=True)
    poll_page_size = Int(
        50,
        help="Smallest page of newest jobs fetched per poll; it grows to cover every watched "
        "job (the runtime caps pages at 200).",
    ).tag(config=True)
    read_coalesce_window = Float(
        1.0,
        help="Seconds an answer to an identical read request is reused, so a burst of requests "
        "(many tabs, a refresh storm) costs one runtime call. Writes clear it.",
    ).tag(config=True)
    snapshot_max_age = Float(
        4.0,
        help="Seconds after the live monitor's last poll during which GET /qrt-lab/api/jobs "
        "(no filter, within the newest jobs it holds) is answered from its snapshot instead of "
        "the runtime; 0 sends every read to the runtime.",
    ).tag(config=True)
    backends_cache_ttl = Float(
        30.0, help="Seconds a GET /backends list is reused before asking the runtime again."
    ).tag(config=True)
    backend_detail_cache_ttl = Float(
        300.0,
        help="Seconds a backend's configuration and properties are reused (calibrations change "
        "a few times a day).",
    ).tag(config=True)
    session_cache_ttl = Float(
        5.0, help="Seconds a GET /sessions/{id} answer is reused for the sessions list."
    ).tag(config=True)
    session_poll_interval = Float(
        5.0,
        help="Seconds between refreshes of open sessions and batches by the live monitor "
        "(one GET /sessions/{id} each; the runtime has no session list).",
    ).tag(config=True)
    local_autostart = Bool(
        True,
        help="Start the local runtime service when no account is configured and none runs.",
    ).tag(config=True)
    local_state_dir = Unicode(
        "",
        help="State directory of the local runtime service; empty means $QRT_LAB_LOCAL_DIR or "
        "~/.qiskit/qrt-lab/local.",
    ).tag(config=True)
    account_file = Unicode(
        "", help="The saved-account file; empty means ~/.qiskit/qiskit-ibm.json."
    ).tag(config=True)
    active_account_file = Unicode(
        "",
        help="Where the active account and instance choice is kept; empty means "
        "<jupyter data dir>/qrt-lab/active-account.json.",
    ).tag(config=True)
    result_top_k = Int(
        16, help="Most frequent outcomes kept per register in result summaries."
    ).tag(config=True)
    figure_top_k_max = Int(
        1024,
        help="Largest top_k that GET jobs/{id}/figure draws (outcomes beyond it are 'other').",
    ).tag(config=True)

    @validate("read_coalesce_window", "snapshot_max_age")
    def _non_negative(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if value < 0:
            raise TraitError(f"{proposal['trait'].name} must be 0 or more seconds")
        return value

    @validate(
        "poll_interval_active",
        "poll_interval_idle",
        "poll_backoff_max",
        "backends_cache_ttl",
        "backend_detail_cache_ttl",
        "session_cache_ttl",
        "session_poll_interval",
    )
    def _positive(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if value <= 0:
            raise TraitError(f"{proposal['trait'].name} must be a positive number of seconds")
        return value

    @validate("figure_top_k_max")
    def _figure_top_k(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 65536:
            raise TraitError("figure_top_k_max must be between 1 and 65536")
        return value

    @validate("poll_page_size", "result_top_k")
    def _page(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 200:
            raise TraitError(f"{proposal['trait'].name} must be between 1 and 200")
        return value
