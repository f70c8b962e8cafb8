// qrt-lab's plotly figure widget (anywidget ESM): plotly.js draws the figure dicts of qrt_lab.plots.
//
// plotly.js comes from qrt-lab's labextension when the page has it (JupyterLab, Notebook 7: it
// sets globalThis.__qrtLabPlotly), otherwise from the kernel once per page: the Python side sends
// the plotly.min.js that the plotly package ships (VS Code, or any page without the labextension).
// Only the anywidget front-end API is used (render, model.get/on/off/send, msg:custom).

const CONFIG = { responsive: true, displaylogo: false };

function fromKernel(model) {
  return new Promise((resolve, reject) => {
    const onMessage = (message, buffers) => {
      if (!message || message.type !== "plotly-js") return;
      model.off("msg:custom", onMessage);
      if (!buffers || buffers.length === 0) {
        reject(new Error(message.error || "the kernel sent no plotly.js"));
        return;
      }
      const source = new TextDecoder().decode(buffers[0]);
      const wrapped =
        "const module = { exports: {} };\n" + source + "\nexport default module.exports;\n";
      const url = URL.createObjectURL(new Blob([wrapped], { type: "text/javascript" }));
      import(/* webpackIgnore: true */ url).then(
        (loaded) => {
          URL.revokeObjectURL(url);
          resolve(loaded.default);
        },
        (error) => {
          URL.revokeObjectURL(url);
          reject(error);
        },
      );
    };
    model.on("msg:custom", onMessage);
    model.send({ type: "plotly-js" });
  });
}

function loadPlotly(model) {
  const page = globalThis;
  if (typeof page.__qrtLabPlotly === "function") {
    page.__qrtPlotlySource = "labextension";
    return page.__qrtLabPlotly();
  }
  if (!page.__qrtWidgetPlotly) {
    page.__qrtPlotlySource = "kernel";
    const asked = performance.now();
    page.__qrtWidgetPlotly = fromKernel(model).then((plotly) => {
      page.__qrtPlotlyLoadMs = performance.now() - asked; // request → plotly.js evaluated
      return plotly;
    });
    page.__qrtWidgetPlotly = page.__qrtWidgetPlotly.catch((error) => {
      page.__qrtWidgetPlotly = undefined; // the next widget asks again
      throw error;
    });
  }
  return page.__qrtWidgetPlotly;
}

function layoutOf(model) {
  const layout = structuredClone(model.get("_layout") || {});
  if (typeof layout.template === "string") {
    layout.template = model.get("_template") || undefined;
  }
  // keep the user's zoom and pan when Python updates the figure (as FigureWidget does)
  if (layout.uirevision === undefined) layout.uirevision = "qrt";
  return layout;
}

function pointsOf(event) {
  return (event.points || []).map((point) => ({
    trace: point.curveNumber,
    point: point.pointNumber ?? (point.pointNumbers ? point.pointNumbers[0] : null),
    x: point.x ?? null,
    y: point.y ?? null,
  }));
}

async function render({ model, el }) {
  const node = document.createElement("div");
  node.className = "qrt-figure";
  el.appendChild(node);
  let plotly;
  try {
    plotly = await loadPlotly(model);
  } catch (error) {
    node.textContent = `qrt-lab could not load plotly.js: ${error}`;
    return undefined;
  }
  let drawn = 0;
  const draw = async () => {
    const layout = layoutOf(model);
    // a responsive plot fills its node: give the node the figure's height (plotly's default 450)
    node.style.height = `${typeof layout.height === "number" ? layout.height : 450}px`;
    await plotly.react(node, structuredClone(model.get("_data") || []), layout, CONFIG);
    drawn += 1;
    node.dataset.qrtDraws = String(drawn);
  };
  await draw();
  node.on("plotly_click", (event) => model.send({ type: "click", points: pointsOf(event) }));
  // one update from Python changes data, layout and template together: draw once for them
  let pending = false;
  const changed = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      void draw();
    });
  };
  model.on("change:_data", changed);
  model.on("change:_layout", changed);
  model.on("change:_template", changed);
  // a widget drawn while hidden (a closed tab) has no size: resize when it shows
  const sizer = new ResizeObserver(() => {
    if (node.offsetWidth > 0) plotly.Plots?.resize?.(node);
  });
  sizer.observe(el);
  return () => {
    sizer.disconnect();
    model.off("change:_data", changed);
    model.off("change:_layout", changed);
    model.off("change:_template", changed);
    plotly.purge(node);
  };
}

export default { render };
