"""Opt-in SVG images of the static figures (``QRT_LAB_STATIC_IMAGES=1``, kaleido + Chromium)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys

import pytest

SCRIPT = """
from qiskit import QuantumCircuit
from qiskit.primitives import StatevectorSampler
from qrt_lab.widgets import ResultHistogram
qc = QuantumCircuit(2); qc.h(0); qc.cx(0, 1); qc.measure_all()
result = StatevectorSampler(seed=3).run([qc], shots=100).result()
bundle = ResultHistogram(result)._repr_mimebundle_()
print("SVG" if "image/svg+xml" in bundle else "NONE")
if "image/svg+xml" in bundle:
    print(bundle["image/svg+xml"][:200].replace("\\n", " "))
    print(bundle["text/html"].split("/>", 1)[0])
"""


def run(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "QRT_LAB_STATIC_IMAGES"}
    if env_value is not None:
        env["QRT_LAB_STATIC_IMAGES"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_no_image_unless_asked() -> None:
    assert run(None).splitlines()[0] == "NONE"


def test_an_svg_when_asked_and_kaleido_finds_chromium() -> None:
    pytest.importorskip("kaleido", reason="the images extra is not installed")
    if not (shutil.which("chromium") or shutil.which("google-chrome")):
        pytest.skip("no Chrome/Chromium for kaleido")
    first, svg, page = run("1").splitlines()[:3]
    assert first == "SVG"
    assert "<svg" in svg
    assert page.startswith("<img alt='figure' src='data:image/svg+xml;base64,")
    encoded = page.split("base64,", 1)[1].split("'", 1)[0]
    assert base64.b64decode(encoded).startswith(b"<svg")
