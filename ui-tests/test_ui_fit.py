"""A sidebar that fits and maps that read, in real JupyterLab and real Chromium.

At every width from the default sidebar width up, no text is cut without an ellipsis and a
tooltip; the backends table picks its columns for the width (and a column chooser overrides it);
the connection state is one line with the versions behind "About"; every colour of a coupling map
keeps a WCAG contrast of at least 3:1 against the page's background in the light and dark themes,
faulty qubits and edges included. The module makes every job it looks at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sidebar_lab import (
    PANEL,
    THEMES,
    LabStack,
    client_of,
    lab_with_service,
    only_section,
    open_lab,
    switch_theme,
)

DEVICE = "local_heron156"
WIDTHS = [0, 300, 380, 480, 640]  # 0: the default width the sidebar opens with
MIN_CONTRAST = 3.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabStack]:
    """A local service and a lab whose extension uses it."""
    with lab_with_service(tmp_path_factory.mktemp("fit-lab"), kernels_use_it=False) as running:
        yield running


def submit_in_session(stack: LabStack) -> str:
    """A small sampler job with a long tag inside a Session (its row shows every meta field)."""
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2, Session

    service = client_of(stack.service)
    backend = service.backend("local_falcon27")
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    isa = generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)
    with Session(backend=backend) as session:
        sampler = SamplerV2(mode=session)
        sampler.options.environment.job_tags = ["a-rather-long-experiment-tag-for-the-sidebar"]
        return str(sampler.run([isa], shots=100).job_id())


def sidebar_width(page: Page) -> float:
    return float(page.locator(PANEL).evaluate("n => n.getBoundingClientRect().width"))


def set_sidebar_width(page: Page, width: float) -> None:
    """Drag the handle between the left area and the main area until the sidebar is ``width``."""
    handle = page.locator("#jp-main-split-panel > .lm-SplitPanel-handle").first
    for _ in range(3):
        box = handle.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + (width - sidebar_width(page)), y, steps=5)
        page.mouse.up()
        page.wait_for_timeout(300)
        if abs(sidebar_width(page) - width) <= 3:
            return
    assert abs(sidebar_width(page) - width) <= 3, f"sidebar is {sidebar_width(page)} px"


#: Every visible element holding text: is it cut (wider than its box, or past the right edge of an
#: ancestor that clips or scrolls) and if so, does it show an ellipsis and have a tooltip?
CUT_TEXT = """
root => {
  const bad = [];
  for (const el of root.querySelectorAll('*')) {
    if (!(el instanceof HTMLElement) || !el.getClientRects().length) continue;
    // the content of a closed <details> is not drawn; a visually hidden label is for readers
    const closed = el.closest('details:not([open])');
    if (closed && !el.closest('summary')) continue;
    if (el.getBoundingClientRect().width <= 1) continue;
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
    if (!text.trim()) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const titled = !!el.closest('[title]') && el.closest('[title]').title.trim() !== '';
    const ellipsis = style.textOverflow === 'ellipsis';
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible') {
      if (!(ellipsis && titled)) bad.push(`${text.trim()} (cut inside its box)`);
      continue;
    }
    for (let p = el.parentElement; p && p !== root.parentElement; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (ps.overflowX === 'visible') continue;
      const pb = p.getBoundingClientRect();
      if (box.right > pb.right + 1 || box.left < pb.left - 1) {
        // cut by an ancestor: fine only if that ancestor ellipsises and has a tooltip
        const ok = ps.textOverflow === 'ellipsis' && !!p.closest('[title]');
        if (!ok) bad.push(`${text.trim()} (cut by ${p.className || p.tagName})`);
      }
      break;
    }
  }
  return bad;
}
"""


def cut_texts(page: Page) -> list[str]:
    return list(page.locator(PANEL).evaluate(CUT_TEXT))


def test_every_width_from_the_default_up_cuts_nothing_without_ellipsis_and_tooltip(
    page: Page, stack: LabStack, artifacts: Path
) -> None:
    job_id = submit_in_session(stack)
    open_lab(page, stack.lab)
    default = sidebar_width(page)
    assert default >= 200, default
    status = page.locator(f"{PANEL} .qrt-ServerStatus")
    message = status.locator(".qrt-ServerStatus-message")
    about = status.locator(".qrt-ServerStatus-details summary")
    for width in WIDTHS:
        if width:
            set_sidebar_width(page, width)
        shown = round(sidebar_width(page))
        # the connection state is one line, "About" on the same line
        expect(message).to_contain_text("Connected")
        line = message.evaluate("n => parseFloat(getComputedStyle(n).lineHeight) || 18")
        assert message.bounding_box()["height"] <= 1.6 * line  # type: ignore[index]
        assert abs(about.bounding_box()["y"] - message.bounding_box()["y"]) < line  # type: ignore[index]
        for section in ("Backends", "Jobs", "Account", "Sessions"):
            only_section(page, section)
            if section == "Backends":
                expect(page.locator("#qrt-lab-backends tr[data-backend]").first).to_be_visible(
                    timeout=30_000
                )
            if section == "Jobs":
                expect(page.locator(f'#qrt-lab-jobs [data-job-id="{job_id}"]')).to_be_visible(
                    timeout=30_000
                )
            page.wait_for_timeout(200)
            assert cut_texts(page) == [], f"{section} at {shown} px: {cut_texts(page)}"
        if not width:
            only_section(page, "Backends")
            columns = page.locator("#qrt-lab-backends table").get_attribute("data-columns") or ""
            assert columns.split()[:4] == ["name", "qubits", "status", "two_q_error_median"]
            for key in ("light", "dark"):
                if key == "dark":
                    switch_theme(page, THEMES["dark"])
                page.locator(PANEL).screenshot(path=artifacts / f"fit-sidebar-default-{key}.png")
            switch_theme(page, THEMES["light"])
    # wider: more columns
    only_section(page, "Backends")
    wide = page.locator("#qrt-lab-backends table").get_attribute("data-columns") or ""
    assert len(wide.split()) > 4, wide
    page.locator(PANEL).screenshot(path=artifacts / "fit-sidebar-640-light.png")


def test_column_chooser_overrides_the_width(page: Page, stack: LabStack, artifacts: Path) -> None:
    open_lab(page, stack.lab)
    only_section(page, "Backends")
    backends = page.locator("#qrt-lab-backends")
    table = backends.locator("table")
    expect(backends.locator("tr[data-backend]").first).to_be_visible(timeout=30_000)
    assert "clops" not in (table.get_attribute("data-columns") or "")
    backends.locator(".qrt-ColumnChooser summary").click()
    chooser = backends.locator(".qrt-ColumnChooser fieldset")
    chooser.get_by_label("CLOPS").check()
    chooser.get_by_label("Status").uncheck()
    expect(table).to_have_attribute("data-columns", re.compile(r"\bclops\b"))
    assert "status" not in (table.get_attribute("data-columns") or "").split()
    expect(backends.locator('th[data-column="clops"]')).to_be_visible()
    assert cut_texts(page) == []
    backends.locator(".qrt-ColumnChooser").screenshot(path=artifacts / "fit-column-chooser.png")
    chooser.get_by_role("button", name="Fit to width").click()
    expect(table).to_have_attribute(
        "data-columns", re.compile(r"^name qubits status two_q_error_median")
    )


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio of two opaque sRGB colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def parse_rgb(text: str) -> tuple[float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)[:3]]
    assert len(numbers) == 3, text
    return (numbers[0], numbers[1], numbers[2])


#: The colours the drawn map uses (edge strokes, qubit fills, faulty marks) and the background
#: behind it: the first ancestor with an opaque background colour.
MAP_COLOURS = """
plot => {
  const colours = new Set();
  for (const path of plot.querySelectorAll('.scatterlayer path.js-line')) {
    const s = getComputedStyle(path).stroke;
    if (s && s !== 'none' && getComputedStyle(path).strokeOpacity !== '0') colours.add(s);
  }
  for (const point of plot.querySelectorAll('.scatterlayer path.point')) {
    const cs = getComputedStyle(point);
    if (parseFloat(cs.opacity) === 0) continue;
    const fill = cs.fill;
    const stroke = cs.stroke;
    if (fill && fill !== 'none' && parseFloat(cs.fillOpacity) > 0) colours.add(fill);
    if (stroke && stroke !== 'none' && parseFloat(cs.strokeWidth) > 0 &&
        parseFloat(cs.strokeOpacity) > 0) colours.add(stroke);
  }
  let node = plot;
  let background = '';
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && !/rgba\\(.*,\\s*0\\)$/.test(bg) && bg !== 'transparent') { background = bg; break; }
    node = node.parentElement;
  }
  const faulty = [...plot.querySelectorAll('.scatterlayer .trace')].length;
  return { colours: [...colours], background, traces: faulty };
}
"""


def test_map_colours_keep_3_to_1_contrast_in_light_and_dark(
    page: Page, stack: LabStack, artifacts: Path
) -> None:
    open_lab(page, stack.lab)
    only_section(page, "Backends")
    row = page.locator(f'#qrt-lab-backends tr[data-backend="{DEVICE}"]')
    expect(row).to_be_visible(timeout=30_000)
    row.get_by_role("button", name=DEVICE).click()
    view = page.locator(f'.qrt-BackendView[data-backend="{DEVICE}"]')
    plot = view.locator(".qrt-CouplingMap")
    expect(plot).to_have_attribute("data-rendered", re.compile(r"^T1\|"), timeout=60_000)
    # faulty qubits and edges are drawn, and keyed beside the map
    key = view.locator(".qrt-EdgeKey")
    expect(key.locator('[data-mark="faulty qubits"]')).to_be_visible()
    expect(key.locator('[data-mark="faulty edges"]')).to_be_visible()
    report: dict[str, Any] = {}
    for theme_key, theme in THEMES.items():
        if theme_key == "dark":
            switch_theme(page, theme)
        page.wait_for_timeout(500)
        for qubit in ("T1", "readout_error"):
            view.locator("select.qrt-QubitMetric").select_option(qubit)
            expect(plot).to_have_attribute(
                "data-rendered", re.compile(rf"^{qubit}\|"), timeout=30_000
            )
            page.wait_for_timeout(300)
            found = plot.evaluate(MAP_COLOURS)
            background = parse_rgb(found["background"])
            ratios = {c: round(contrast(parse_rgb(c), background), 2) for c in found["colours"]}
            assert len(ratios) >= 8, ratios  # the scale, no-data grey and the faulty red
            low = min(ratios.values())
            report[f"{theme_key}/{qubit}"] = {
                "background": found["background"],
                "colours": len(ratios),
                "min_contrast": low,
                "lowest": min(ratios, key=lambda c: ratios[c]),
            }
            assert low >= MIN_CONTRAST, f"{theme_key} {qubit}: {ratios}"
        view.screenshot(path=artifacts / f"fit-coupling-map-{theme_key}.png")
    switch_theme(page, THEMES["light"])
    (artifacts / "fit-map-contrast.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
