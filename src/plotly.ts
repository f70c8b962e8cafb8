import { Qrt } from './tokens';

/** The subset of plotly.js the views use. */
export interface IPlotly {
  react(node: HTMLElement, data: unknown[], layout: object, config?: object): Promise<unknown>;
  restyle(node: HTMLElement, update: object, traces?: number[]): Promise<unknown>;
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
  const font = cssVar('--jp-ui-font-color1', '#000');
  const grid = cssVar('--jp-border-color2', '#ccc');
  const layout = { ...figure.layout } as { [key: string]: unknown };
  layout.font = { color: font, family: cssVar('--jp-ui-font-family', 'sans-serif') };
  for (const axis of ['xaxis', 'yaxis']) {
    const current = (layout[axis] ?? {}) as object;
    layout[axis] = { gridcolor: grid, zerolinecolor: grid, ...current };
  }
  layout.autosize = true;
  layout.hoverlabel = {
    bgcolor: cssVar('--jp-layout-color0', '#fff'),
    font: { color: font },
    bordercolor: grid
  };
  await plotly.react(node, figure.data, layout, {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ['select2d', 'lasso2d']
  });
  return performance.now() - start;
}
