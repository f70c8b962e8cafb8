"""``%qruntime jobs``, ``job ID`` and ``cancel ID``: what ran, why it failed, and its result."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..runtime.summaries import words
from . import _active
from ._dispatch import MagicError, subcommand
from ._display import Table, show_result

if TYPE_CHECKING:
    from ..runtime.job import RuntimeJobV2

__all__: list[str] = []

_COLUMNS = ("job id", "status", "primitive", "backend", "created", "tags", "session")


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"expected 1 to 1000, got {value}")
    return value


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=_limit,
        default=10,
        metavar="N",
        help="At most N jobs, newest first (default 10).",
    )
    parser.add_argument("--pending", action="store_true", help="Only queued or running jobs.")
    parser.add_argument("--backend", metavar="B", help="Only jobs on backend B.")
    parser.add_argument("--tag", metavar="T", action="append", help="Only jobs tagged T.")


def _backend_name(job: RuntimeJobV2) -> str | None:
    """The name of the job's backend (the service builds each backend once and caches it)."""
    from qiskit.providers.exceptions import QiskitBackendNotFoundError

    try:
        backend = job.backend()
    except QiskitBackendNotFoundError:
        return None  # no longer on the instance (a retired device)
    return backend if backend is None or isinstance(backend, str) else str(backend.name)


def _row(job: RuntimeJobV2) -> tuple[Any, ...]:
    created = job.creation_date
    return (
        job.job_id(),
        words.status_word(job.cached_status()),
        job.primitive_id,
        _backend_name(job),
        words.local_time(created) if created else None,
        ", ".join(job.tags) or None,
        job.session_id,
    )


@subcommand(
    "jobs",
    help="Recent jobs (--limit N, --pending, --backend B, --tag T).",
    configure=_configure_list,
)
def _jobs(args: argparse.Namespace) -> Table:
    found = _active.service().jobs(
        limit=args.limit,
        pending=True if args.pending else None,
        backend_name=args.backend,
        job_tags=args.tag,
    )
    return Table(_COLUMNS, [_row(job) for job in found], caption=words.plural(len(found), "job"))


def _configure_one(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("job_id", metavar="ID", help="Job id ('%%qruntime jobs' lists them).")


def _job(job_id: str) -> RuntimeJobV2:
    if not job_id.strip():
        raise MagicError("Give a job id; '%qruntime jobs' lists them.")
    return _active.service().job(job_id)


@subcommand(
    "job",
    help="One job: status, the reason when it failed, its result when done.",
    configure=_configure_one,
)
def _one_job(args: argparse.Namespace) -> Any:
    job = _job(args.job_id)
    status = job.status()
    print(
        f"job {job.job_id()}: {words.status_word(status)} "
        f"({job.primitive_id} on {_backend_name(job)})"
    )
    if status == "ERROR":
        reason = " ".join((job.error_message() or "").split())
        print(f"reason: {reason or 'the service gave none; check the inputs and submit again'}")
        return job
    if status != "DONE":
        return job
    result = job.result()
    show_result(result, inputs=job.inputs if job.primitive_id == "estimator" else None)
    return result


@subcommand("cancel", help="Cancel a queued or running job.", configure=_configure_one)
def _cancel(args: argparse.Namespace) -> RuntimeJobV2:
    from ..runtime.exceptions import RuntimeInvalidStateError

    job = _job(args.job_id)
    try:
        job.cancel()
    except RuntimeInvalidStateError:
        raise MagicError(
            f"Job {job.job_id()} cannot be cancelled: it is already "
            f"{words.status_word(job.status()).lower()}."
        ) from None
    print(f"job {job.job_id()}: cancelled")
    return job
