import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { loadPlotly, renderFigure } from '../plotly';
import { IViewContext, age, copyText, errorText, num } from '../sidebar/common';
import { Qrt } from '../tokens';

/** View preferences from the settings. */
export interface IMapPreferences {
  qubitMetric: string;
  edgeMetric: 'error' | 'length';
}

function pickEdge(detail: Qrt.IBackendDetail, kind: 'error' | 'length'): string {
  const keys = Object.keys(detail.calibration.edge_metrics);
  return keys.find(k => k.endsWith(`_${kind}`)) ?? keys[0] ?? '';
}

/** The qubit trace's marker and hover of a coupling-map figure (what a qubit metric changes). */
function qubitTrace(figure: Qrt.IFigure): { index: number; trace: { marker?: object } } {
  const index = figure.data.findIndex(t => (t as { name?: string }).name === 'qubits');
  return { index, trace: (figure.data[index] ?? {}) as { marker?: object } };
}

function CouplingMap(
  props: IViewContext & { detail: Qrt.IBackendDetail; qubit: string; edge: string }
): JSX.Element {
  const { model, trans, detail, qubit, edge } = props;
  const node = React.useRef<HTMLDivElement>(null);
  const [error, setError] = React.useState('');
  // figures by "qubit|edge": switching the qubit metric restyles one trace from this cache
  const figures = React.useRef(new Map<string, Promise<Qrt.IBackendFigure>>());
  const drawn = React.useRef<{ edge: string } | null>(null);
  const figure = (q: string, e: string): Promise<Qrt.IBackendFigure> => {
    const key = `${q}|${e}`;
    let found = figures.current.get(key);
    if (!found) {
      found = model.backendFigure(detail.name, q, e);
      found.catch(() => figures.current.delete(key));
      figures.current.set(key, found);
    }
    return found;
  };
  React.useEffect(() => {
    let stale = false;
    const started = performance.now();
    figure(qubit, edge)
      .then(async body => {
        if (stale || !node.current) {
          return;
        }
        const fetched = performance.now() - started;
        const { index, trace } = qubitTrace(body.figure);
        let plotted: number;
        if (drawn.current?.edge === edge && index >= 0) {
          const plotly = await loadPlotly();
          const begin = performance.now();
          await plotly.restyle(node.current, { marker: [trace.marker] }, [index]);
          plotted = performance.now() - begin;
        } else {
          plotted = await renderFigure(node.current, body.figure);
          drawn.current = { edge };
          // warm the cache for the other qubit metrics of this edge metric
          for (const other of Object.keys(detail.calibration.qubit_metrics)) {
            void figure(other, edge).catch(() => undefined);
          }
        }
        const elapsed = performance.now() - started;
        node.current.dataset.fetchMs = fetched.toFixed(1);
        node.current.dataset.plotMs = plotted.toFixed(1);
        node.current.dataset.renderMs = elapsed.toFixed(1);
        node.current.dataset.rendered = `${qubit}|${edge}`;
      })
      .catch(e => setError(errorText(e)));
    return () => {
      stale = true;
    };
  }, [detail.name, qubit, edge]);
  return (
    <>
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
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
    </>
  );
}

function CalibrationTable(props: IViewContext & { detail: Qrt.IBackendDetail }): JSX.Element {
  const { trans, detail } = props;
  const cal = detail.calibration;
  const qubitKeys = Object.keys(cal.qubit_metrics);
  const edgeKeys = Object.keys(cal.edge_metrics);
  const faulty = new Set(cal.faulty_qubits);
  const unit = (m: Qrt.IMetric) => (m.unit ? ` (${m.unit})` : '');
  return (
    <div className="qrt-TableScroll qrt-CalibrationTables">
      <table className="qrt-Table" aria-label={trans.__('Qubit calibration')}>
        <thead>
          <tr>
            <th>{trans.__('Qubit')}</th>
            {qubitKeys.map(k => (
              <th key={k}>
                {cal.qubit_metrics[k].label}
                {unit(cal.qubit_metrics[k])}
              </th>
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
                <th key={k}>
                  {cal.edge_metrics[k].label}
                  {unit(cal.edge_metrics[k])}
                </th>
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
            {cal.last_update ? age(cal.last_update, trans) : trans.__('no calibration data')}
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
          <label>
            {trans.__('Qubit metric')}
            <select
              className="qrt-QubitMetric"
              value={qubit}
              onChange={e => setQubit(e.target.value)}
            >
              {Object.entries(cal.qubit_metrics).map(([k, m]) => (
                <option key={k} value={k}>
                  {m.label}
                  {m.unit ? ` (${m.unit})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            {trans.__('Edge metric')}
            <select className="qrt-EdgeMetric" value={edge} onChange={e => setEdge(e.target.value)}>
              {Object.entries(cal.edge_metrics).map(([k, m]) => (
                <option key={k} value={k}>
                  {m.label}
                  {m.unit ? ` (${m.unit})` : ''}
                </option>
              ))}
            </select>
          </label>
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
