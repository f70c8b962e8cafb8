"""Where a jupyter server's CPU goes during a load burst: py-spy samples, grouped per call.

Not a benchmark itself: ``bench_server_load.py --profile`` calls :func:`profile_bursts`. Each
sample is put in the group of its innermost frame that names one (so JSON encoding inside our
handler counts as JSON encoding, a socket send inside ``finish`` as the send); the share of
samples times the server's measured CPU time, divided by the calls, is each group's cost per call.
"""

from __future__ import annotations

import collections
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

#: Where py-spy's samples of the last profile go (collapsed stacks; git-ignored).
RESULTS = Path(__file__).resolve().parent / "results"

#: ``(group, pattern)``: a frame matching ``pattern`` puts its sample in ``group``; the
#: innermost matching frame decides, and earlier groups win within one frame.
GROUPS: list[tuple[str, str]] = [
    ("JSON encoding (json.dumps)", r"^(dumps|JSONEncoder\.)"),
    ("prometheus metrics (in log_request)", r"prometheus"),
    ("access log (log_request)", r"log_request|Handler\._log |logging/"),
    (
        "jupyter auth: token / login cookie / user (get_user), cookies",
        r"IdentityProvider|_get_user|signed_cookie|secure_cookie|signed_value|http/cookies",
    ),
    (
        "jupyter prepare: host, origin (ipaddress), CORS, CSP, activity",
        r"JupyterHandler\.|APIHandler\.(prepare|finish|update_api)|check_xsrf|check_host"
        r"|check_origin|set_default_headers|set_cors|ipaddress",
    ),
    ("proxy hop to the local service (httpx)", r"AsyncRuntimeRest|httpx|httpcore"),
    ("websocket fan-out", r"WebSocket|websocket|send_event|\.publish "),
    ("worker threads (account files)", r"Thread\.run|_worker"),
    ("ETag (SHA-1 of the body)", r"compute_etag|set_etag_header|check_etag_header"),
    (
        "response: headers (Date) + socket send (kernel)",
        r"write_headers|write_to_fd|_handle_write|HTTP1Connection\.(write|finish)"
        r"|BaseIOStream\.write|RequestHandler\.flush|email/utils",
    ),
    ("qrt-lab handler code", r"qrt_lab/"),
    ("routing (tornado find_handler)", r"find_handler|get_target_delegate|Matches\."),
    (
        "tornado handler setup / finish",
        r"RequestHandler\.(__init__|clear|finish|_execute|set_header|on_finish)|_HandlerDelegate",
    ),
    (
        "HTTP parsing (request line, headers)",
        r"_read_message|_parse_headers|HTTPHeaders|parse_request_start_line|read_until_regex"
        r"|read_from_fd|_read_to_buffer|HTTPServerRequest",
    ),
    ("TCP accept / close", r"accept_handler|_handle_connection|close_fd|IOStream\.close"),
    ("event loop (epoll, callbacks)", r"select|_run_once|Handle\._run|_reader|_handle_events"),
]


def group_samples(raw: str) -> collections.Counter[str]:
    """Samples per group from py-spy's ``--format raw`` (collapsed stacks) output."""
    counts: collections.Counter[str] = collections.Counter()
    patterns = [(name, re.compile(pattern)) for name, pattern in GROUPS]
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        for frame in reversed(stack.split(";")):
            group = next((name for name, pattern in patterns if pattern.search(frame)), None)
            if group is not None:
                counts[group] += int(count)
                break
        else:
            counts["other"] += int(count)
    return counts


def profile_bursts(pid: int, bursts: Callable[[], float], calls: int, name: str) -> None:
    """Sample ``pid`` with py-spy while ``bursts()`` runs (it returns the server's CPU seconds).

    The samples are kept in ``results/server_profile_<name>.txt``.
    """
    samples = RESULTS / f"server_profile_{name}.txt"
    if shutil.which("py-spy") is None:
        print("profile: py-spy is not installed (pip install py-spy); skipped")
        return
    samples.parent.mkdir(parents=True, exist_ok=True)
    samples.unlink(missing_ok=True)
    args = ["record", "-p", str(pid), "-r", "1000", "-f", "raw", "--nonblocking"]
    spy = subprocess.Popen(
        ["py-spy", *args, "-o", str(samples)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(2)  # attached before the first burst
    cpu = bursts()
    spy.send_signal(signal.SIGINT)
    spy.wait(60)
    counts = group_samples(samples.read_text() if samples.exists() else "")
    total = sum(counts.values())
    if not total:
        print("profile: no samples (py-spy needs ptrace rights over the server)")
        return
    print(f"server CPU per call: {cpu / calls * 1e6:.0f} us ({calls} calls; {total} samples in")
    print(f"{samples})")
    for name, count in counts.most_common():
        share = count / total
        print(f"  {share * 100:5.1f}%  {cpu * share / calls * 1e6:5.0f} us  {name}")
