"""Random ``%qruntime`` argument strings: always a result or a one-line error, never a traceback."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from qrt_lab.magics import SUBCOMMANDS

Run = Callable[..., Any]

SAFE = [name for name, command in SUBCOMMANDS.items() if not command.cell]
WORDS = st.sampled_from(
    [*SAFE, "--limit", "--pending", "--backend", "--tag", "--min-qubits", "--operational",
     "--simulator", "--metric", "--instance", "--help", "-h", "show", "list", "use", "local",
     "off", "on", "close", "local_5q", "T1", "0", "-1", "3", "1e9", "--", "-", "=", "%",
     "../../etc/passwd", "local_5q/../x", "a?b=c#d", "\u00e9\u00e8", "''", '"', "\\"]
)  # fmt: skip
FREE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
LINES = st.lists(st.one_of(WORDS, FREE), max_size=5).map(" ".join)

_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(run: Run, line: str, cell: str | None = None) -> None:
    try:
        run(line, cell)
    except UsageError as err:
        message = str(err)
        assert message and "\n" not in message, repr(message)
        assert "Traceback" not in message


@_SETTINGS
@given(line=LINES)
def test_random_lines_never_raise_a_traceback(
    qruntime: Run, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        first = shlex.split(line)[:1]
    except ValueError:
        first = []
    if first == ["account"] and "use" in line:
        line = "account show"  # switching to a random saved account is covered elsewhere
    check(qruntime, line)
    capsys.readouterr()
    qruntime("account local")  # whatever the line did, the next example starts from local
    qruntime("watch off")
    capsys.readouterr()


@_SETTINGS
@given(cell=st.text(max_size=200), line=LINES)
def test_random_cells_never_raise_a_traceback(qruntime: Run, cell: str, line: str) -> None:
    check(qruntime, "sample --backend local_ideal --shots 8", cell)
    check(qruntime, "estimate --backend local_ideal --observable Z", cell)
    check(qruntime, f"sample {line}", "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n")


@_SETTINGS
@given(body=st.lists(st.sampled_from(
    ["qreg q[2];", "creg c[2];", "h q[0];", "cx q[0], q[1];", "measure q -> c;", "qubit[2] r;",
     "bit[2] b;", "b = measure r;", 'include "qelib1.inc";', 'include "stdgates.inc";',
     "x q;", "h r[0];", "U(0, 0, 0) q[0];", "barrier q;", "reset q[1];", "if (c == 1) x q[0];"]
), max_size=6), version=st.sampled_from(["2.0", "3.0", "3"]))  # fmt: skip
def test_random_programs_run_or_say_why(qruntime: Run, body: list[str], version: str) -> None:
    check(
        qruntime,
        "sample --backend local_ideal --shots 8",
        f"OPENQASM {version};\n" + "\n".join(body),
    )
