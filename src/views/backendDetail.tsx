import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { STALE_CALIBRATION_HINT, STALE_MARK, calibrationIsStale } from '../format';
import { loadPlotly, renderFigure } from '../plotly';
import { Age, IViewContext, copyText, errorText, num } from '../sidebar/common';
import { Qrt } from '../tokens';

/** View preferences from the settings. */
export interface IMapPreferences {
  qubitMetric: string;
  edgeMetric: 'error' | 'length';
}

/** Seconds since a calibration's `last_update` (null without one). */
function calibrationAge(lastUpdate: string | null): number | null {
  const at = lastUpdate ? Date.parse(lastUpdate) : NaN;
  return Number.isFinite(at) ? (Date.now() - at) / 1000 : null;
}

function pickEdge(detail: Qrt.IBackendDetail, kind: 'error' | 'length'): string {
  const keys = Object.keys(detail.calibration.edge_metrics);
  return keys.find(k => k.endsWith(`_${kind}`)) ?? keys[0] ?? '';
}

/** The label of a metric with its unit, as in selects and table headers. */
function metricLabel(metric: Qrt.IMetric): string {
  return metric.unit ? `${metric.label} (${metric.unit})` : metric.label;
}

/** Marks the user's metric choice: the benchmark times input → redrawn from this mark. */
const INPUT_MARK = 'qrt-metric-input';

interface IDrawn {
  qubit: string;
  edge: string;
  styles: Qrt.IMetricStyles | null;
}

/** Update data in place: plotly moves the points without recomputing and redrawing the figure. */
const IN_PLACE = { transition: { duration: 0 }, frame: { duration: 0, redraw: false } };

/** Recolour only what a metric switch changes: the qubit markers, or the edge buckets. */
async function restyle(node: HTMLElement, drawn: IDrawn, qubit: string, edge: string) {
  const plotly = await loadPlotly();
  const styles = drawn.styles as Qrt.IMetricStyles;
  const q = styles.qubit[qubit];
  if (qubit !== drawn.qubit && q) {
    const before = styles.qubit[drawn.qubit]?.colorscale;
    if (JSON.stringify(before) !== JSON.stringify(q.colorscale)) {
      // the better end flips (T1 → an error): the scale changes with the values
      await plotly.restyle(
        node,
        { 'marker.color': [q.color], 'marker.colorscale': [q.colorscale] },
        [styles.qubit_trace]
      );
    } else {
      const data = [{ marker: { color: q.color } }];
      await plotly.animate(node, { data, traces: [styles.qubit_trace] }, IN_PLACE);
    }
  }
  const e = styles.edge[edge];
  if (edge !== drawn.edge && e) {
    const data = e.x.map((x, i) => ({ x, y: e.y[i], name: e.name[i] }));
    await plotly.animate(node, { data, traces: styles.edge_traces }, IN_PLACE);
  }
  drawn.qubit = qubit;
  drawn.edge = edge;
}

/**
 * The qubit colour bar, drawn beside the map: switching metric updates it without asking plotly
 * to lay out the figure again.
 */
function ColourBar(props: {
  style?: { color: (number | null)[]; colorscale: [number, string][]; title: string };
}) {
  const known = (props.style?.color ?? []).filter((v): v is number => v !== null);
  if (!props.style || known.length === 0) {
    return null;
  }
  const low = Math.min(...known);
  const high = Math.max(...known);
  return (
    <figure className="qrt-ColourBar" aria-hidden="true">
      <figcaption className="qrt-ColourBar-title">{props.style.title}</figcaption>
      <div className="qrt-ColourBar-scale">
        <div
          className="qrt-ColourBar-gradient"
          style={{
            background: `linear-gradient(to top, ${props.style.colorscale
              .map(([at, colour]) => `${colour} ${(at * 100).toFixed(1)}%`)
              .join(', ')})`
          }}
        />
        <div className="qrt-ColourBar-ticks">
          <span>{num(high)}</span>
          <span>{num((low + high) / 2)}</span>
          <span>{num(low)}</span>
        </div>
      </div>
    </figure>
  );
}

/**
 * The edge colour key beside the map: one swatch per colour bucket that holds edges, with the
 * bucket's lower bound (hover and the Table view give every edge's value).
 */
function EdgeKey(props: {
  figure: Qrt.IFigure | null;
  styles: Qrt.IMetricStyles | null;
  edge: string;
  title: string;
  trans: IViewContext['trans'];
}): JSX.Element | null {
  const buckets = props.styles?.edge[props.edge];
  if (!props.figure || !props.styles || !buckets) {
    return null;
  }
  const data = props.figure.data as { line?: { color?: string } }[];
  const rows = props.styles.edge_traces
    .map((trace, i) => ({
      colour: data[trace]?.line?.color ?? '',
      // "CZ error ≤ 0.0021" → "≤ 0.0021": the title names the metric once
      label: buckets.name[i].replace(/^.*?(?=[≥≤])/, ''),
      used: buckets.x[i].length > 0
    }))
    .filter(row => row.used);
  if (rows.length < 2) {
    return null;
  }
  // the faulty marks drawn over the map, keyed with their own colour and shape
  const faulty = (props.figure.data as { name?: string; line?: { color?: string } }[])
    .filter(t => t.name === 'faulty edges' || t.name === 'faulty qubits')
    .map(t => ({ name: t.name as string, colour: t.line?.color ?? '' }));
  const marks = (props.figure.data as { name?: string; marker?: { color?: string } }[]).find(
    t => t.name === 'faulty qubits'
  );
  return (
    <figure className="qrt-EdgeKey" aria-hidden="true">
      <figcaption className="qrt-ColourBar-title">{props.title}</figcaption>
      <ul>
        {rows.map(row => (
          <li key={row.label}>
            <span className="qrt-EdgeKey-swatch" style={{ background: row.colour }} />
            {row.label}
          </li>
        ))}
        {faulty.map(f => (
          <li key={f.name} className="qrt-EdgeKey-faulty" data-mark={f.name}>
            {f.name === 'faulty edges' ? (
              <span
                className="qrt-EdgeKey-swatch qrt-EdgeKey-dotted"
                style={{ borderColor: f.colour }}
              />
            ) : (
              <span className="qrt-EdgeKey-cross" style={{ color: marks?.marker?.color }}>
                ✕
              </span>
            )}
            {f.name === 'faulty edges'
              ? props.trans.__('faulty edge')
              : props.trans.__('faulty qubit')}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The figure without plotly's qubit colour bar when {@link ColourBar} draws it instead. */
function ownColourBar(figure: Qrt.IFigure, styles: Qrt.IMetricStyles | null): Qrt.IFigure {
  if (!styles || styles.qubit_trace < 0) {
    return figure;
  }
  const data = [...figure.data];
  const trace = data[styles.qubit_trace] as { marker?: object };
  data[styles.qubit_trace] = { ...trace, marker: { ...trace.marker, showscale: false } };
  return { ...figure, data };
}

function CouplingMap(
  props: IViewContext & { detail: Qrt.IBackendDetail; qubit: string; edge: string }
): JSX.Element {
  const { model, trans, detail, qubit, edge } = props;
  const edgeMetrics = detail.calibration.edge_metrics;
  const node = React.useRef<HTMLDivElement>(null);
  const [error, setError] = React.useState('');
  const drawn = React.useRef<IDrawn | null>(null);
  const [styles, setStyles] = React.useState<Qrt.IMetricStyles | null>(null);
  const [figure, setFigure] = React.useState<Qrt.IFigure | null>(null);
  const wanted = React.useRef({ qubit, edge });
  wanted.current = { qubit, edge };
  const busy = React.useRef(false);

  // bring the drawn figure to the wanted metrics; switches during a restyle coalesce
  const sync = async (): Promise<void> => {
    const target = node.current;
    const current = drawn.current;
    if (busy.current || !target || !current) {
      return;
    }
    busy.current = true;
    try {
      while (current.qubit !== wanted.current.qubit || current.edge !== wanted.current.edge) {
        const want = wanted.current;
        if (current.styles) {
          await restyle(target, current, want.qubit, want.edge);
        } else {
          const body = await model.backendFigure(detail.name, want.qubit, want.edge);
          await renderFigure(target, body.figure);
          current.qubit = want.qubit;
          current.edge = want.edge;
        }
      }
      await new Promise(resolve => requestAnimationFrame(resolve));
      if (performance.getEntriesByName(INPUT_MARK).length) {
        const measure = performance.measure('qrt-metric-switch', INPUT_MARK);
        performance.clearMarks(INPUT_MARK);
        target.dataset.switchMs = measure.duration.toFixed(1);
      }
      target.dataset.rendered = `${current.qubit}|${current.edge}`;
    } catch (e) {
      setError(errorText(e));
    } finally {
      busy.current = false;
    }
  };

  // one fetch draws the map and brings every metric's colours for later switches
  React.useEffect(() => {
    let stale = false;
    const started = performance.now();
    const first = { ...wanted.current };
    model
      .backendFigure(detail.name, first.qubit, first.edge, true)
      .then(async body => {
        if (stale || !node.current) {
          return;
        }
        const fetched = performance.now() - started;
        const styles = body.styles ?? null;
        const plotted = await renderFigure(node.current, ownColourBar(body.figure, styles));
        drawn.current = { ...first, styles };
        setStyles(styles);
        setFigure(body.figure);
        node.current.dataset.fetchMs = fetched.toFixed(1);
        node.current.dataset.plotMs = plotted.toFixed(1);
        node.current.dataset.renderMs = (performance.now() - started).toFixed(1);
        node.current.dataset.rendered = `${first.qubit}|${first.edge}`;
        await sync();
      })
      .catch(e => setError(errorText(e)));
    return () => {
      stale = true;
    };
  }, [detail.name]);
  React.useEffect(() => void sync(), [qubit, edge]);
  return (
    <>
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="qrt-MapArea">
        <div
          ref={node}
          className="qrt-Plot qrt-CouplingMap"
          role="img"
          aria-label={trans.__(
            'Coupling map of %1 coloured by %2; the Table view lists the same values.',
            detail.name,
            qubit
          )}
        />
        <ColourBar style={styles?.qubit[qubit]} />
        <EdgeKey
          figure={figure}
          styles={styles}
          edge={edge}
          title={edge in edgeMetrics ? metricLabel(edgeMetrics[edge]) : edge}
          trans={trans}
        />
      </div>
    </>
  );
}

/** A select of the qubit or edge metrics; marks the choice for the switch timing. */
function MetricSelect(props: {
  label: string;
  className: string;
  metrics: { [key: string]: Qrt.IMetric };
  value: string;
  onChange: (key: string) => void;
}): JSX.Element {
  return (
    <label>
      {props.label}
      <select
        className={props.className}
        value={props.value}
        onChange={e => {
          performance.clearMarks(INPUT_MARK);
          performance.mark(INPUT_MARK);
          props.onChange(e.target.value);
        }}
      >
        {Object.entries(props.metrics).map(([k, m]) => (
          <option key={k} value={k}>
            {metricLabel(m)}
          </option>
        ))}
      </select>
    </label>
  );
}

function CalibrationTable(props: IViewContext & { detail: Qrt.IBackendDetail }): JSX.Element {
  const { trans, detail } = props;
  const cal = detail.calibration;
  const qubitKeys = Object.keys(cal.qubit_metrics);
  const edgeKeys = Object.keys(cal.edge_metrics);
  const faulty = new Set(cal.faulty_qubits);
  return (
    <div className="qrt-TableScroll qrt-CalibrationTables">
      <table className="qrt-Table" aria-label={trans.__('Qubit calibration')}>
        <thead>
          <tr>
            <th>{trans.__('Qubit')}</th>
            {qubitKeys.map(k => (
              <th key={k}>{metricLabel(cal.qubit_metrics[k])}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {detail.coupling_map.x.map((_, q) => (
            <tr key={q} data-faulty={faulty.has(q) || undefined}>
              <th scope="row">
                {q}
                {faulty.has(q) ? ` (${trans.__('faulty')})` : ''}
              </th>
              {qubitKeys.map(k => (
                <td key={k}>{num(cal.qubit_metrics[k].values[q], 4)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {edgeKeys.length ? (
        <table className="qrt-Table" aria-label={trans.__('Edge calibration')}>
          <thead>
            <tr>
              <th>{trans.__('Edge')}</th>
              {edgeKeys.map(k => (
                <th key={k}>{metricLabel(cal.edge_metrics[k])}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cal.edges.map(([a, b], i) => (
              <tr key={`${a}-${b}`}>
                <th scope="row">
                  {a}–{b}
                </th>
                {edgeKeys.map(k => (
                  <td key={k}>{num(cal.edge_metrics[k].values[i], 4)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function BackendView(
  props: IViewContext & { name: string; preferences: IMapPreferences }
): JSX.Element {
  const { model, trans, name, preferences } = props;
  const [detail, setDetail] = React.useState<Qrt.IBackendDetail | null>(null);
  const [error, setError] = React.useState('');
  const [qubit, setQubit] = React.useState('');
  const [edge, setEdge] = React.useState('');
  const [view, setView] = React.useState<'map' | 'table'>('map');
  const [copied, setCopied] = React.useState(false);
  React.useEffect(() => {
    model
      .backendDetail(name)
      .then(body => {
        const keys = Object.keys(body.calibration.qubit_metrics);
        setQubit(
          keys.includes(preferences.qubitMetric) ? preferences.qubitMetric : (keys[0] ?? '')
        );
        setEdge(pickEdge(body, preferences.edgeMetric));
        setDetail(body);
      })
      .catch(e => setError(errorText(e)));
  }, [name]);
  if (error) {
    return (
      <div className="qrt-View">
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      </div>
    );
  }
  if (!detail) {
    return <div className="qrt-View">{trans.__('Loading %1…', name)}</div>;
  }
  const conf = detail.configuration;
  const cal = detail.calibration;
  const hasCalibration = Object.keys(cal.qubit_metrics).length > 0;
  return (
    <div className="qrt-View qrt-BackendView" data-backend={name}>
      <header className="qrt-View-header">
        <h2>{name}</h2>
        <dl className="qrt-Facts qrt-Facts-inline">
          <dt>{trans.__('Qubits')}</dt>
          <dd>{conf.num_qubits}</dd>
          <dt>{trans.__('Processor')}</dt>
          <dd>{String(conf.processor_type ?? '—')}</dd>
          <dt>{trans.__('Basis gates')}</dt>
          <dd>{(conf.basis_gates ?? []).join(', ')}</dd>
          <dt>{trans.__('Calibrated')}</dt>
          <dd data-field="calibration-age" title={cal.last_update ?? ''}>
            {cal.last_update ? (
              <Age iso={cal.last_update} trans={trans} />
            ) : (
              trans.__('no calibration data')
            )}
            {calibrationIsStale(calibrationAge(cal.last_update)) ? (
              <span
                className="qrt-Stale"
                data-field="calibration-stale"
                title={STALE_CALIBRATION_HINT}
              >
                {' '}
                {STALE_MARK}
              </span>
            ) : null}
          </dd>
          <dt>{trans.__('Faulty')}</dt>
          <dd>
            {trans.__('%1 qubits, %2 edges', cal.faulty_qubits.length, cal.faulty_edges.length)}
          </dd>
        </dl>
        <div className="qrt-Buttons">
          <button
            type="button"
            className="jp-mod-styled"
            onClick={() => {
              void copyText(`service.backend("${name}")`);
              setCopied(true);
            }}
          >
            {copied ? trans.__('Copied') : trans.__('Copy code')}
          </button>
          {hasCalibration ? (
            <a
              className="jp-mod-styled qrt-ButtonLink"
              href={model.calibrationCsvUrl(name)}
              download={`${name}-calibration.csv`}
            >
              {trans.__('Download CSV')}
            </a>
          ) : null}
        </div>
      </header>
      {hasCalibration ? (
        <div className="qrt-Controls">
          <div role="group" aria-label={trans.__('View')} className="qrt-Toggle">
            <button
              type="button"
              className="jp-mod-styled"
              aria-pressed={view === 'map'}
              onClick={() => setView('map')}
            >
              {trans.__('Map')}
            </button>
            <button
              type="button"
              className="jp-mod-styled"
              aria-pressed={view === 'table'}
              onClick={() => setView('table')}
            >
              {trans.__('Table')}
            </button>
          </div>
          <MetricSelect
            label={trans.__('Qubit metric')}
            className="qrt-QubitMetric"
            metrics={cal.qubit_metrics}
            value={qubit}
            onChange={setQubit}
          />
          <MetricSelect
            label={trans.__('Edge metric')}
            className="qrt-EdgeMetric"
            metrics={cal.edge_metrics}
            value={edge}
            onChange={setEdge}
          />
        </div>
      ) : (
        <p>{trans.__('This backend has no calibration data (simulators have none).')}</p>
      )}
      {view === 'map' ? (
        <CouplingMap {...props} detail={detail} qubit={qubit} edge={edge} />
      ) : (
        <CalibrationTable {...props} detail={detail} />
      )}
    </div>
  );
}

/** A main-area view of one backend: coupling map, calibration table, CSV, copy code. */
export function createBackendView(
  ctx: IViewContext,
  name: string,
  preferences: IMapPreferences
): MainAreaWidget {
  const content = ReactWidget.create(
    <BackendView {...ctx} name={name} preferences={preferences} />
  );
  content.addClass('qrt-ViewContent');
  const widget = new MainAreaWidget({ content });
  widget.id = `qrt-lab-backend-${name}`;
  widget.title.label = name;
  widget.title.caption = ctx.trans.__('Backend %1', name);
  widget.title.closable = true;
  return widget;
}
