"""The advisor's two browser views (anywidgets): the ranked table and the "use this" button.

The table is clickable: a click (or Enter/Space on a focused row) sets ``selected``. The button
asks the page to put its ``code`` in the cell below the widget's: it dispatches a bubbling,
cancelable ``qrt-lab:insert-cell`` DOM event that qrt-lab's JupyterLab extension handles
(``src/insertCell.ts``). Where nothing handles it (the classic notebook, VS Code, a page without
the extension) the button shows the code in a copyable block instead.
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

__all__ = ["INSERT_EVENT", "RankTable", "UseThisButton"]

#: The DOM event the button dispatches; ``src/insertCell.ts`` listens for it.
INSERT_EVENT = "qrt-lab:insert-cell"

_TABLE_ESM = """
function render({ model, el }) {
  const draw = () => {
    el.replaceChildren();
    const state = model.get("state");
    const note = document.createElement("div");
    note.className = "qrt-adv-note qrt-adv-" + state;
    note.textContent = model.get("message");
    note.setAttribute("role", state === "error" ? "alert" : "status");
    el.appendChild(note);
    const rows = model.get("rows");
    if (!rows.length) return;
    const columns = model.get("columns");
    const wrap = document.createElement("div");
    wrap.className = "qrt-adv-scroll";
    const table = document.createElement("table");
    table.className = "qrt-adv-table";
    const head = table.createTHead().insertRow();
    for (const [, title] of columns) {
      const th = document.createElement("th");
      th.textContent = title;
      head.appendChild(th);
    }
    const body = table.createTBody();
    rows.forEach((row, index) => {
      const tr = body.insertRow();
      const chosen = index === model.get("selected");
      tr.className = "qrt-adv-row" + (chosen ? " qrt-adv-selected" : "");
      tr.tabIndex = 0;
      tr.setAttribute("aria-selected", String(chosen));
      tr.dataset.backend = row.backend;
      for (const [key] of columns) {
        const td = tr.insertCell();
        td.textContent = row[key];
        if (row[key + "_title"]) td.title = row[key + "_title"];
        if (row.warn === key) td.className = "qrt-adv-warn";
      }
      const choose = () => { model.set("selected", index); model.save_changes(); };
      tr.addEventListener("click", choose);
      tr.addEventListener("keydown", event => {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); }
      });
    });
    wrap.appendChild(table);
    el.appendChild(wrap);
  };
  model.on("change:rows", draw);
  model.on("change:selected", draw);
  model.on("change:state", draw);
  model.on("change:message", draw);
  draw();
}
export default { render };
"""

_TABLE_CSS = """
.qrt-adv-scroll { overflow-x: auto; max-width: 100%; }
.qrt-adv-table { border-collapse: collapse; font-family: var(--jp-ui-font-family);
  font-size: var(--jp-ui-font-size1); color: var(--jp-ui-font-color1); }
.qrt-adv-table th, .qrt-adv-table td { padding: 3px 6px; text-align: left; white-space: nowrap;
  border-bottom: 1px solid var(--jp-border-color2); }
.qrt-adv-table th { color: var(--jp-ui-font-color2); font-weight: 600; }
.qrt-adv-row { cursor: pointer; }
.qrt-adv-row:hover { background: var(--jp-layout-color2); }
.qrt-adv-row:focus-visible { outline: 2px solid var(--jp-brand-color1); outline-offset: -2px; }
.qrt-adv-selected, .qrt-adv-selected:hover {
  background: color-mix(in srgb, var(--jp-brand-color1) 22%, transparent);
  box-shadow: inset 3px 0 0 var(--jp-brand-color1); }
.qrt-adv-warn { color: var(--jp-warn-color1); font-weight: 600; }
.qrt-adv-note { font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1);
  color: var(--jp-ui-font-color2); margin: 4px 0; }
.qrt-adv-error { color: var(--jp-error-color1); white-space: pre-wrap; }
.qrt-adv-ranking::before { content: ""; display: inline-block; width: 0.8em; height: 0.8em;
  margin-right: 6px; vertical-align: -1px; border: 2px solid var(--jp-brand-color1);
  border-right-color: transparent; border-radius: 50%; animation: qrt-adv-spin 1s linear infinite; }
@keyframes qrt-adv-spin { to { transform: rotate(360deg); } }
"""

_BUTTON_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "jp-Button jp-mod-styled jp-mod-accept qrt-adv-use";
  const note = document.createElement("div");
  note.className = "qrt-adv-use-note";
  note.setAttribute("role", "status");
  const fallback = document.createElement("div");
  const sync = () => {
    button.textContent = model.get("label");
    button.disabled = !model.get("code");
  };
  const showCode = () => {
    const pre = document.createElement("pre");
    pre.className = "qrt-adv-code";
    pre.textContent = model.get("code");
    const copy = document.createElement("button");
    copy.className = "jp-Button jp-mod-styled";
    copy.textContent = "Copy";
    copy.addEventListener("click", () => {
      navigator.clipboard?.writeText(model.get("code")).then(
        () => { copy.textContent = "Copied"; }, () => { copy.textContent = "Select and copy"; });
    });
    fallback.replaceChildren(pre, copy);
  };
  button.addEventListener("click", () => {
    const event = new CustomEvent("%(event)s", {
      detail: { code: model.get("code") }, bubbles: true, cancelable: true });
    const handled = !el.dispatchEvent(event);
    if (handled) {
      fallback.replaceChildren();
      note.textContent = "Inserted in the cell below.";
    } else {
      note.textContent = "No notebook cell to write into here (an output view, or a page " +
        "without qrt-lab's JupyterLab extension): copy the code below into a new cell.";
      showCode();
    }
  });
  model.on("change:code", () => { sync(); note.textContent = ""; fallback.replaceChildren(); });
  model.on("change:label", sync);
  sync();
  el.replaceChildren(button, note, fallback);
}
export default { render };
""".replace("%(event)s", INSERT_EVENT)

_BUTTON_CSS = """
.qrt-adv-use { margin: 4px 0; }
.qrt-adv-use-note { font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1);
  color: var(--jp-ui-font-color2); }
.qrt-adv-use-note + div pre.qrt-adv-code, .qrt-adv-code {
  font-family: var(--jp-code-font-family); font-size: var(--jp-code-font-size);
  background: var(--jp-cell-editor-background); color: var(--jp-content-font-color1);
  border: 1px solid var(--jp-border-color2); padding: 6px 8px; margin: 4px 0;
  overflow-x: auto; }
"""


class RankTable(anywidget.AnyWidget):
    """The ranked candidates as a clickable table, under a status line."""

    _esm = traitlets.Unicode(_TABLE_ESM).tag(sync=True)
    _css = traitlets.Unicode(_TABLE_CSS).tag(sync=True)
    columns: traitlets.List[Any] = traitlets.List(help="``[key, title]`` pairs, in order.").tag(
        sync=True
    )
    rows: traitlets.List[Any] = traitlets.List(
        help="One dict of formatted cells per candidate."
    ).tag(sync=True)
    selected = traitlets.Int(-1, help="The chosen row (-1: none).").tag(sync=True)
    state = traitlets.Unicode("ranking", help="ranking, ready, empty or error.").tag(sync=True)
    message = traitlets.Unicode("", help="The status line above the table.").tag(sync=True)


class UseThisButton(anywidget.AnyWidget):
    """A button that puts ``code`` in the notebook cell below the widget's (see the module)."""

    _esm = traitlets.Unicode(_BUTTON_ESM).tag(sync=True)
    _css = traitlets.Unicode(_BUTTON_CSS).tag(sync=True)
    code = traitlets.Unicode("", help="The code to insert; empty disables the button.").tag(
        sync=True
    )
    label = traitlets.Unicode("Use this", help="The button's text.").tag(sync=True)
