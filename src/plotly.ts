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
