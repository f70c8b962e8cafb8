"""qrt-lab's figure widget (:mod:`qrt_lab.widgets.figure`): FigureWidget's API without plotly.io.

The wire tests run a real kernel and speak the widget protocol to it as a page does (comm_open,
custom messages, state updates); the browser side is ``ui-tests/test_ui_figure.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel

from qrt_lab.widgets.figure import Figure, plotly_js


def test_the_first_widget_imports_no_plotly_nbformat_or_jsonschema() -> None:
    code = textwrap.dedent(
        """
        import sys
        from qrt_lab.widgets import ResultHistogram
        view = ResultHistogram({"00": 3, "11": 1})
        assert list(view.figure.data[0].x) == ["00", "11"], view.figure.data
        print(sorted(m for m in ("plotly", "plotly.io", "nbformat", "jsonschema", "rfc3987")
                     if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_attribute_access_assignment_and_batch() -> None:
    figure = Figure({"data": [{"type": "bar", "x": ["0", "1"], "y": [3, 1], "name": "counts"}],
                     "layout": {"xaxis": {"title": {"text": "outcome"}}}})  # fmt: skip
    assert figure.data[0].name == "counts" and list(figure.data[0].y) == [3, 1]
    assert figure.layout.xaxis.title.text == "outcome"
    assert figure.layout.height is None and figure.data[0].marker is None
    sent: list[Any] = []  # the state messages the widget sends (ipywidgets' Widget._send)
    original = figure._send
    figure._send = lambda msg, buffers=None: (sent.append(msg), original(msg, buffers))[1]
    figure.layout.height = 320
    assert figure.to_dict()["layout"]["height"] == 320 and len(sent) == 1
    with figure.batch_update():
        figure.layout.template = "plotly_dark"
        figure.data[0].y = [2, 2]
        assert len(sent) == 1, "a change inside batch_update was sent at once"
    assert len(sent) == 2
    assert figure._template["layout"]["paper_bgcolor"] == "rgb(17,17,17)"  # plotly's dark template
    assert figure.to_dict()["data"][0]["y"] == [2, 2]


def test_numpy_values_become_json() -> None:
    np = pytest.importorskip("numpy")
    figure = Figure({"data": [{"y": np.array([1.5, np.nan])}], "layout": {}})
    assert figure.to_dict()["data"][0]["y"] == [1.5, None]


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
def test_hostile_messages_from_the_page_are_ignored(content: Any) -> None:
    figure = Figure({"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}})
    calls: list[Any] = []
    figure.on_click(lambda trace, points, state: calls.append(points))
    for message in (content, {"type": "click", "points": content}):
        figure._on_message(figure, message, [])
    for points in calls:
        assert points.trace_index == 0


def _kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        yield manager, client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    yield from _kernel()


def _execute(client: BlockingKernelClient, code: str) -> list[dict[str, Any]]:
    """Run ``code``; every iopub message until the kernel is idle again."""
    msg_id = client.execute(code)
    found = []
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        found.append(message)
        if message["msg_type"] == "error":
            pytest.fail("\n".join(message["content"]["traceback"]))
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return found


def _from_page(client: BlockingKernelClient, comm_id: str, content: dict[str, Any]) -> list[Any]:
    """Send a custom message as the page's widget would; the kernel's messages in answer."""
    message = client.session.msg(
        "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}}
    )
    client.shell_channel.send(message)
    found = []
    while True:
        reply = client.get_iopub_msg(timeout=60)
        if reply["parent_header"].get("msg_id") != message["header"]["msg_id"]:
            continue
        found.append(reply)
        if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            return found


@pytest.mark.slow
def test_the_widget_protocol_in_a_real_kernel(
    kernel: tuple[KernelManager, BlockingKernelClient],
) -> None:
    _, client = kernel
    opened = _execute(
        client,
        "from qrt_lab.widgets import ResultHistogram\n"
        "clicked = []\n"
        "view = ResultHistogram({'00': 6, '11': 4})\n"
        "view.figure.data[0].on_click(\n"
        "    lambda t, p, s: clicked.append((t.name, p.point_inds, p.xs)))\n"
        "print(view.figure.model_id)",
    )
    comm_id = next(m for m in opened if m["msg_type"] == "stream")["content"]["text"].strip()
    state = next(
        m["content"]["data"]["state"]
        for m in opened
        if m["msg_type"] == "comm_open" and m["content"]["comm_id"] == comm_id
    )
    assert state["_data"][0]["x"] == ["00", "11"] and state["_layout"]["template"] == "plotly_white"
    assert state["_template"]["layout"]["paper_bgcolor"] == "white"
    assert "export default" in state["_esm"]

    answer = _from_page(client, comm_id, {"type": "plotly-js"})
    script = next(m for m in answer if m["msg_type"] == "comm_msg")
    assert script["content"]["data"]["content"] == {"type": "plotly-js"}
    assert bytes(script["buffers"][0]) == plotly_js()

    _from_page(client, comm_id, {"type": "click", "points": [{"trace": 0, "point": 1, "x": "11",
                                                              "y": 4}]})  # fmt: skip
    printed = _execute(client, "print(clicked)")
    assert next(m for m in printed if m["msg_type"] == "stream")["content"]["text"].strip() == (
        "[('counts', [1], ['11'])]"
    )

    updated = _execute(client, "view.values = 'probabilities'")
    updates = [
        m["content"]["data"]["state"]
        for m in updated
        if m["msg_type"] == "comm_msg"
        and m["content"]["comm_id"] == comm_id
        and m["content"]["data"]["method"] == "update"
    ]
    assert len(updates) == 1, "one update from Python is one message to the page"
    assert updates[0]["_data"][0]["y"] == [0.6, 0.4]
    assert json.dumps(updates[0])  # plain JSON on the wire
