import { Qrt } from './tokens';

/** The subset of plotly.js the views use. */
export interface IPlotly {
  react(node: HTMLElement, data: unknown[], layout: object, config?: object): Promise<unknown>;
  restyle(node: HTMLElement, update: object, traces?: number[]): Promise<unknown>;
  animate(node: HTMLElement, frame: object, options?: object): Promise<unknown>;
  Fx: { hover(node: HTMLElement, points: object[], subplot?: string): void };
  purge(node: HTMLElement): void;
}

let loading: Promise<IPlotly> | null = null;

/** plotly.js, loaded on first use (its own chunk: the sidebar opens without it). */
export function loadPlotly(): Promise<IPlotly> {
  if (loading === null) {
    loading = import(/* webpackChunkName: "plotly" */ 'plotly.js-basic-dist-min').then(
      module => ((module as { default?: IPlotly }).default ?? module) as unknown as IPlotly
    );
  }
  return loading;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * Draw a figure built by `qrt_lab.plots` with the page's theme colours for text and grid.
 *
 * @returns the time spent in plotly, in ms
 */
export async function renderFigure(node: HTMLElement, figure: Qrt.IFigure): Promise<number> {
  const plotly = await loadPlotly();
  const start = performance.now();
  const layout = themed(figure.layout);
  if (!(globalThis as { qrtBenchAutomargin?: boolean }).qrtBenchAutomargin) {
    measuredMargin(layout, figure.data, node.clientWidth);
  }
  await plotly.react(node, figure.data, layout, {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ['select2d', 'lasso2d']
  });
  rendered.add(node);
  watchTheme();
  return performance.now() - start;
}

/** Plots on the page, re-coloured when the theme changes. */
const rendered = new Set<HTMLElement>();
let observer: MutationObserver | null = null;

function watchTheme(): void {
  if (observer !== null) {
    return;
  }
  // the theme's CSS variables apply a moment after the attribute changes
  observer = new MutationObserver(() => setTimeout(redraw, 150));
  observer.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-name'] });
}

function redraw(): void {
  void loadPlotly().then(plotly => {
    for (const node of [...rendered]) {
      if (!node.isConnected) {
        rendered.delete(node);
        continue;
      }
      const current = (node as unknown as { layout?: object }).layout ?? {};
      void plotly.react(node, (node as unknown as { data: unknown[] }).data, themed(current));
    }
  });
}

/** Width of one pixel-sized character guess when no canvas is available. */
const CHAR_PX = 7;
let measurer: CanvasRenderingContext2D | null | undefined;

function textWidth(text: string, font: string): number {
  if (measurer === undefined) {
    measurer = document.createElement('canvas').getContext('2d');
  }
  if (!measurer) {
    return text.length * CHAR_PX;
  }
  measurer.font = font;
  return measurer.measureText(text).width;
}

/**
 * Replace plotly's automargin of a category x axis by a margin measured here.
 *
 * automargin makes plotly draw the figure, measure the tick labels and draw it again: about
 * three quarters of a histogram's first render (bench_sidebar_browser.py histogram). The labels
 * are known, so their width is measured once with a canvas: horizontal when they fit side by
 * side, vertical otherwise, and the bottom margin holds the longest label and the axis title.
 */
export function measuredMargin(source: object, data: unknown[], width: number): void {
  const layout = source as { [key: string]: unknown };
  const xaxis = layout.xaxis as { [key: string]: unknown } | undefined;
  if (!xaxis || xaxis.automargin !== true || xaxis.type !== 'category' || width <= 0) {
    return;
  }
  const labels = new Set<string>();
  for (const trace of data as { x?: unknown[] }[]) {
    for (const label of trace.x ?? []) {
      labels.add(String(label));
    }
  }
  const font = `12px ${cssVar('--jp-ui-font-family', 'sans-serif')}`;
  let widest = 0;
  for (const label of labels) {
    widest = Math.max(widest, textWidth(label, font));
  }
  const margin = { l: 50, r: 20, t: 40, b: 50, ...((layout.margin ?? {}) as object) } as {
    [key: string]: number;
  };
  const slot = (width - margin.l - margin.r) / Math.max(labels.size, 1);
  const vertical = widest + 6 > slot;
  const labelHeight = vertical ? widest : 14;
  const title = (xaxis.title as { text?: string } | undefined)?.text ? 24 : 0;
  layout.margin = { ...margin, b: Math.max(margin.b, Math.ceil(labelHeight + title + 16)) };
  layout.xaxis = { ...xaxis, automargin: false, tickangle: vertical ? 90 : 0 };
}

function themed(source: object): object {
  const font = cssVar('--jp-ui-font-color1', '#000');
  const grid = cssVar('--jp-border-color2', '#ccc');
  const layout = { ...source } as { [key: string]: unknown };
  layout.font = { color: font, family: cssVar('--jp-ui-font-family', 'sans-serif') };
  for (const axis of ['xaxis', 'yaxis']) {
    const current = (layout[axis] ?? {}) as object;
    layout[axis] = { ...current, gridcolor: grid, zerolinecolor: grid };
  }
  layout.autosize = true;
  if (layout.showlegend && !layout.legend) {
    // under the plot, wrapping: a legend at the right is the first thing cut when the main
    // area narrows (the estimator's observables)
    layout.legend = { orientation: 'h', x: 0, xanchor: 'left', y: -0.22, yanchor: 'top' };
  }
  layout.hoverlabel = {
    bgcolor: cssVar('--jp-layout-color0', '#fff'),
    font: { color: font },
    bordercolor: grid
  };
  return layout;
}
