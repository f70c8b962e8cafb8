"""``qrt-lab local start | stop | status | serve`` (also ``python -m qrt_lab.local``)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qrt_lab.runtime.api import discovery

__all__ = ["build_parser", "main"]


def build_parser(prog: str = "qrt-lab local") -> argparse.ArgumentParser:
    """The argument parser of the local-service commands."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Run the qrt-lab local runtime service (simulated devices)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    state_help = "state directory (default: $QRT_LAB_LOCAL_DIR or ~/.qiskit/qrt-lab/local)"
    for name, help_text in (
        ("start", "start a detached service if none runs, and print where it is"),
        ("stop", "stop the running service"),
        ("status", "print the running service's URL, pid and instance"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--state-dir", type=Path, help=state_help)
        if name == "start":
            sub.add_argument(
                "--idle-timeout",
                type=float,
                default=None,
                metavar="SECONDS",
                help="exit after this long unused (default: $QRT_LAB_LOCAL_IDLE_TIMEOUT or "
                f"{discovery.DEFAULT_IDLE_TIMEOUT:.0f}; 0 = never)",
            )
    serve = commands.add_parser("serve", help="run the service in the foreground")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one")
    serve.add_argument("--state-dir", type=Path, help=state_help)
    serve.add_argument("--workers", type=int, default=2, help="simulation worker processes")
    serve.add_argument(
        "--devices",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="folder of conf_*.json/props_*.json device documents (repeatable)",
    )
    serve.add_argument(
        "--max-body-mb", type=float, default=50.0, help="largest POST /jobs body in MB"
    )
    serve.add_argument(
        "--interactive-ttl",
        type=float,
        default=60.0,
        help="seconds a dedicated session stays active without jobs",
    )
    serve.add_argument(
        "--idle-timeout",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="exit after this many seconds without requests and without queued or running "
        "jobs (default 0 = never; the detached service started on demand uses "
        f"$QRT_LAB_LOCAL_IDLE_TIMEOUT or {discovery.DEFAULT_IDLE_TIMEOUT:.0f})",
    )
    serve.add_argument(
        "--timing",
        default=None,
        metavar="MODE",
        help="'fast' (default; or $QRT_LAB_LOCAL_TIMING) or 'device': jobs wait QUEUED behind "
        "their device and stay RUNNING for their emulated quantum seconds",
    )
    serve.add_argument(
        "--timing-scale",
        default=None,
        metavar="FACTOR",
        help="with --timing device, running time = quantum seconds x FACTOR (default 1; or "
        "$QRT_LAB_LOCAL_TIMING_SCALE)",
    )
    serve.add_argument(
        "--certfile",
        type=Path,
        default=None,
        help="serve https with this TLS certificate (PEM), as jupyter-server's --certfile",
    )
    serve.add_argument(
        "--keyfile",
        type=Path,
        default=None,
        help="the certificate's private key (PEM), when it is not in --certfile",
    )
    serve.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level (default INFO)",
    )
    return parser


def _serve(args: argparse.Namespace) -> int:
    from .config import ServiceConfig
    from .device_timing import parse_scale, parse_timing
    from .http.app import serve

    if args.workers < 1:
        print("--workers must be at least 1.", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print("--port must be from 0 to 65535.", file=sys.stderr)
        return 2
    if not args.max_body_mb > 0:
        print("--max-body-mb must be a number of megabytes > 0, e.g. 50.", file=sys.stderr)
        return 2
    if not args.interactive_ttl > 0:
        print("--interactive-ttl must be a number of seconds > 0, e.g. 60.", file=sys.stderr)
        return 2
    if not args.idle_timeout >= 0:
        print("--idle-timeout must be a number of seconds >= 0 (0 = never).", file=sys.stderr)
        return 2
    try:
        timing, timing_scale = parse_timing(args.timing), parse_scale(args.timing_scale)
    except ValueError as exc:
        print(f"{exc}.", file=sys.stderr)
        return 2
    if args.keyfile is not None and args.certfile is None:
        print("--keyfile needs --certfile (the certificate it belongs to).", file=sys.stderr)
        return 2
    for name, path in (("--certfile", args.certfile), ("--keyfile", args.keyfile)):
        if path is not None and not path.is_file():
            print(f"{name} {path}: not a file. Pass a PEM file.", file=sys.stderr)
            return 2
    for folder in args.devices:
        if not folder.is_dir():
            print(
                f"--devices {folder}: not a folder. Pass a folder of device documents.",
                file=sys.stderr,
            )
            return 2
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: binding {args.host}; the service is reachable beyond this machine.",
            file=sys.stderr,
        )
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = ServiceConfig(
        state_dir=(args.state_dir or discovery.default_state_dir()).expanduser().resolve(),
        host=args.host,
        port=args.port,
        workers=args.workers,
        device_dirs=tuple(d.resolve() for d in args.devices),
        max_body_bytes=int(args.max_body_mb * 1024 * 1024),
        interactive_ttl=args.interactive_ttl,
        idle_timeout=args.idle_timeout or None,
        timing=timing,
        timing_scale=timing_scale,
        certfile=args.certfile.resolve() if args.certfile else None,
        keyfile=args.keyfile.resolve() if args.keyfile else None,
    )
    try:
        serve(config)
    except (OSError, ValueError) as exc:
        print(f"The local runtime service could not start: {exc}", file=sys.stderr)
        return 1
    return 0


def _describe(info: discovery.LocalServiceInfo) -> str:
    return json.dumps(
        {
            "url": info.url,
            "pid": info.pid,
            "instance": info.instance,
            "state_dir": str(info.state_dir),
            "api_key_file": str(info.state_dir / discovery.API_KEY_FILE),
        },
        indent=2,
    )


def main(argv: list[str] | None = None, prog: str = "qrt-lab local") -> int:
    """Run one command; returns the process exit code.

    Accepts ``local <command>`` (the ``qrt-lab`` console script) and ``<command>``.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "local":
        argv = argv[1:]
    args = build_parser(prog).parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    state_dir = args.state_dir
    if args.command == "start":
        try:
            info = discovery.ensure_running(state_dir, idle_timeout=args.idle_timeout)
        except discovery.LocalServiceError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(_describe(info))
        return 0
    if args.command == "stop":
        stopped = discovery.stop_service(state_dir)
        print("stopped" if stopped else "not running")
        return 0
    info_or_none = discovery.find_running(state_dir)
    if info_or_none is None:
        print("not running (start it with `qrt-lab local start`)")
        return 1
    print(_describe(info_or_none))
    return 0
