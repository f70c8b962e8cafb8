"""Benchmark 2: decoding a large SamplerV2 result and counting, ours vs the official decoder.

The body is what ``GET /jobs/{id}/results`` returns for 20 PUBs x 10,000 shots x 127 bits
(encoded once with the official ``RuntimeEncoder``). Timed: text -> ``PrimitiveResult`` ->
``get_counts()`` of every PUB. Prints the median of REPEATS runs.

Run: ``python benchmarks/bench_client_decode.py``
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_client_common import table
from qiskit.primitives.containers import BitArray, DataBin, PrimitiveResult, SamplerPubResult

from qrt_lab.runtime import codec

PUBS, SHOTS, BITS, REPEATS = 20, 10_000, 127, 5


def result_text() -> str:
    from qiskit_ibm_runtime import RuntimeEncoder

    rng = np.random.default_rng(7)
    nbytes = (BITS + 7) // 8
    pubs = []
    for _ in range(PUBS):
        # few distinct outcomes, as in real runs of structured circuits, plus random noise rows
        base = rng.integers(0, 256, size=(64, nbytes), dtype=np.uint8)
        rows = base[rng.integers(0, 64, size=SHOTS)]
        rows[: SHOTS // 10] = rng.integers(0, 256, size=(SHOTS // 10, nbytes), dtype=np.uint8)
        rows[:, 0] &= 0x7F  # 127 bits: the top bit of the first byte is unused
        data = DataBin(meas=BitArray(rows, BITS), shape=())
        pubs.append(SamplerPubResult(data, metadata={"circuit_metadata": {}}))
    return json.dumps(PrimitiveResult(pubs, metadata={"version": 2}), cls=RuntimeEncoder)


def official(text: str) -> int:
    from qiskit_ibm_runtime import RuntimeDecoder

    result = json.loads(text, cls=RuntimeDecoder)
    return sum(len(pub.data.meas.get_counts()) for pub in result)


def ours(text: str) -> int:
    result = codec.decode_result(text)
    return sum(len(pub.data.meas.get_counts()) for pub in result)


def timed(fn, text: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    runs, value = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        value = fn(text)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), value


def main() -> None:
    text = result_text()
    theirs, their_keys = timed(official, text)
    mine, my_keys = timed(ours, text)
    assert my_keys == their_keys, "both decoders must find the same outcomes"
    table(
        f"decode + get_counts(): {PUBS} PUBs x {SHOTS} shots x {BITS} bits "
        f"({len(text) / 1e6:.1f} MB body, median of {REPEATS})",
        ["decoder", "seconds"],
        [["qiskit_ibm_runtime.RuntimeDecoder", theirs], ["qrt_lab codec.decode_result", mine]],
    )
    print(f"\n  speed-up: {theirs / mine:.1f}x")


if __name__ == "__main__":
    main()
