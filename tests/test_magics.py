"""``%qruntime`` through a real IPython shell and through a real kernel (nbclient)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from importlib import metadata

import nbformat
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from nbclient import NotebookClient

from qrt_lab import __version__, magics


@pytest.fixture(scope="module")
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "qrt_lab")
    yield ip
    InteractiveShell.clear_instance()


def test_load_ext_registers_qruntime(shell: InteractiveShell) -> None:
    assert "qruntime" in shell.magics_manager.magics["line"]


def test_version_prints_a_text_table_in_a_terminal(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_line_magic("qruntime", "version")
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Software", "Version"]
    assert lines[1].startswith("-----")
    rows = {line.split("  ")[0].strip(): line for line in lines}
    assert rows["qrt-lab"].split()[-1] == __version__
    assert rows["qiskit"].split()[-1] == metadata.version("qiskit")
    assert rows["qiskit-aer"].split()[-1] == metadata.version("qiskit-aer")
    assert rows["jupyterlab"].split()[-1] == metadata.version("jupyterlab")
    assert "Python" in rows and "OS" in rows


def test_version_table_has_html_for_jupyter(shell: InteractiveShell) -> None:
    data, _ = shell.display_formatter.format(magics.version_table())
    assert set(data) >= {"text/plain", "text/html"}
    page = data["text/html"]
    assert page.startswith("<table") and page.endswith("</table>")
    assert f"<td>qiskit</td><td>{metadata.version('qiskit')}</td>" in page
    assert f"<td>qrt-lab</td><td>{__version__}</td>" in page


def test_html_escapes_values() -> None:
    table = magics.VersionTable((("a<b", "<script>"),), (), magics.version_table().created)
    assert "<script>" not in table._repr_html_()
    assert "&lt;script&gt;" in table._repr_html_()


def test_missing_subcommand_says_what_to_type(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match=r"needs a subcommand, e\.g\. '%qruntime help'"):
        shell.run_line_magic("qruntime", "")


def test_unknown_subcommand_is_a_usage_error(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="unknown choice 'warp-drive'; choose from "):
        shell.run_line_magic("qruntime", "warp-drive")


def test_unclosed_quote_is_a_usage_error(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="close the quotes"):
        shell.run_line_magic("qruntime", 'version "')


def test_help_lists_subcommands(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    assert shell.run_line_magic("qruntime", "--help") is None
    assert "version" in capsys.readouterr().out


def test_new_subcommands_plug_into_the_dispatcher(shell: InteractiveShell) -> None:
    def configure(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--times", type=int, default=1)

    @magics.subcommand("echo-test", help="Echo for the test.", configure=configure)
    def _echo(args: argparse.Namespace) -> str:
        return "hi" * args.times

    try:
        assert shell.run_line_magic("qruntime", "echo-test --times 3") == "hihihi"
    finally:
        del magics.SUBCOMMANDS["echo-test"]


@pytest.mark.slow
def test_version_through_a_real_kernel() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("%load_ext qrt_lab"),
        nbformat.v4.new_code_cell("%qruntime version"),
        nbformat.v4.new_code_cell("import sys; print('qiskit loaded:', 'qiskit' in sys.modules)"),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    (display_data,) = nb.cells[1].outputs
    assert display_data["output_type"] == "display_data"
    assert (
        f"<td>qiskit</td><td>{metadata.version('qiskit')}</td>" in display_data["data"]["text/html"]
    )
    assert metadata.version("qiskit") in display_data["data"]["text/plain"]
    assert nb.cells[2].outputs[0]["text"].strip() == "qiskit loaded: False"
