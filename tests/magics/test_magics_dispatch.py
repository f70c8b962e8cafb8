"""The ``%qruntime`` dispatcher: help, suggestions and one-line errors (no service needed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from qrt_lab.magics import SUBCOMMANDS


@pytest.fixture(scope="module")
def bare_shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "qrt_lab")
    yield ip
    InteractiveShell.clear_instance()


def usage_error(shell: InteractiveShell, line: str, cell: str | None = None) -> str:
    with pytest.raises(UsageError) as info:
        if cell is None:
            shell.run_line_magic("qruntime", line)
        else:
            shell.run_cell_magic("qruntime", line, cell)
    message = str(info.value)
    assert "\n" not in message, f"not one line: {message!r}"
    return message


def test_every_group_is_registered() -> None:
    assert set(SUBCOMMANDS) == {
        "version", "account", "backends", "backend", "least-busy", "jobs", "job", "cancel",
        "watch", "session", "sample", "estimate", "usage", "advise", "help",
    }  # fmt: skip
    assert {name for name, c in SUBCOMMANDS.items() if c.cell} == {"sample", "estimate"}


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_has_help(
    bare_shell: InteractiveShell, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bare_shell.run_line_magic("qruntime", f"{name} --help") is None
    out = capsys.readouterr().out
    magic = "%%qruntime" if SUBCOMMANDS[name].cell else "%qruntime"
    assert out.startswith(f"usage: {magic} {name}")
    assert SUBCOMMANDS[name].help.split()[0] in out


def test_help_lists_every_subcommand(
    bare_shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    bare_shell.run_line_magic("qruntime", "help")
    out = capsys.readouterr().out
    for name, command in SUBCOMMANDS.items():
        magic = "%%qruntime" if command.cell else "%qruntime"
        assert any(line.split()[:2] == [magic, name] for line in out.splitlines()), name


def test_help_about_one_subcommand(
    bare_shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    bare_shell.run_line_magic("qruntime", "help jobs")
    assert "--pending" in capsys.readouterr().out
    assert "did you mean 'jobs'" in usage_error(bare_shell, "help jbos")


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("backnds", "backends"),
        ("verison", "version"),
        ("least_busy", "least-busy"),
        ("backends --min-qbits 3", "--min-qubits"),
        ("jobs --limt 3", "--limit"),
        ("backend local_5q --metrc T1", "--metric"),
        ("backend local_5q --metric t2", "T2"),
        ("watch of", "off"),
        ("account lst", "list"),
        ("account use bench --instnce x", "--instance"),
    ],
)
def test_typos_suggest_the_closest_word(
    bare_shell: InteractiveShell, line: str, suggestion: str
) -> None:
    assert f"did you mean '{suggestion}'?" in usage_error(bare_shell, line)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("", "needs a subcommand"),
        ('jobs --tag "x', "close the quotes"),
        ("jobs --limit 0", "expected 1 to 1000"),
        ("jobs --limit many", "expected a whole number"),
        ("backends --min-qubits -3", "at least 1"),
        ("job", "required: ID"),
        ("account use", "required: NAME"),
        ("sample --backend x", "put the OpenQASM program below it"),
        ("estimate --backend x --observable Z", "put the OpenQASM program below it"),
    ],
)
def test_user_mistakes_are_one_line(bare_shell: InteractiveShell, line: str, fragment: str) -> None:
    assert fragment in usage_error(bare_shell, line)


def test_a_line_magic_refuses_a_cell(bare_shell: InteractiveShell) -> None:
    assert "is a line magic" in usage_error(bare_shell, "version", cell="x = 1")


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("h q[0];", "start it with 'OPENQASM 2.0;'"),
        ("OPENQASM 4.0;\nqubit q;", "OpenQASM 4 is not supported"),
        ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nfoo q[0];', "'foo' is not defined"),
        ("OPENQASM 3.0;\nqubit[2] q;\nh q[0];", "does not parse"),
    ],
)
def test_programs_that_do_not_parse(bare_shell: InteractiveShell, cell: str, fragment: str) -> None:
    from qrt_lab.magics import MagicError
    from qrt_lab.magics.sample import load_program

    with pytest.raises(MagicError, match="OpenQASM") as info:
        load_program(cell)
    assert fragment in str(info.value)
