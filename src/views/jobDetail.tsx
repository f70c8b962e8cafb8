import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { loadPlotly, renderFigure } from '../plotly';
import {
  DASH,
  count,
  duration,
  expectation,
  localTime,
  num,
  probability,
  usageHint
} from '../format';
import { Age, CommandIDs, IViewContext, StatusBadge, copyText, errorText } from '../sidebar/common';
import { confirmCancel, confirmDelete } from '../sidebar/jobActions';
import { Qrt } from '../tokens';

/** Result-view preferences from the settings. */
export interface IResultPreferences {
  topK: number;
}

interface IFigureOptions {
  pub: number;
  register: string;
  topK: number;
  sort: string;
  ket: boolean;
  /** Sampler: one binding, or null for all bindings summed. */
  index: number[] | null;
  /** Estimator: the axis along x (null: the last) and a fixed index or null per axis. */
  x: number | null;
  at: (number | null)[] | null;
  /** Estimator: the parameter whose values run along x ('': the first one varying). */
  param: string;
}

type Trans = IViewContext['trans'];

/** Options 0…n-1 of one axis (a number field past this many values). */
const MAX_AXIS_OPTIONS = 256;

/** One index along one axis of a PUB shape: a select, or a number field for long axes. */
function AxisIndex(props: {
  axis: number;
  size: number;
  value: number | null;
  allLabel?: string;
  className: string;
  label: string;
  onChange: (value: number | null) => void;
}): JSX.Element {
  const { size, value } = props;
  if (size > MAX_AXIS_OPTIONS && value !== null) {
    return (
      <label>
        {props.label}
        <input
          type="number"
          className={props.className}
          data-axis={props.axis}
          min={0}
          max={size - 1}
          value={value}
          onChange={e =>
            props.onChange(Math.min(size - 1, Math.max(0, Math.floor(Number(e.target.value)) || 0)))
          }
        />
      </label>
    );
  }
  return (
    <label>
      {props.label}
      <select
        className={props.className}
        data-axis={props.axis}
        value={value === null ? '' : String(value)}
        onChange={e => props.onChange(e.target.value === '' ? null : Number(e.target.value))}
      >
        {props.allLabel ? <option value="">{props.allLabel}</option> : null}
        {Array.from({ length: Math.min(size, MAX_AXIS_OPTIONS) }, (_, i) => (
          <option key={i} value={i}>
            {i}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Sampler: all bindings summed, or one binding picked with one index per axis of the shape. */
function BindingPicker(props: {
  shape: number[];
  index: number[] | null;
  trans: Trans;
  onChange: (index: number[] | null) => void;
}): JSX.Element {
  const { shape, index, trans } = props;
  return (
    <fieldset className="qrt-Binding">
      <legend>{trans.__('Parameter binding (shape %1)', `(${shape.join(', ')})`)}</legend>
      <label>
        {trans.__('Show')}
        <select
          className="qrt-BindingMode"
          value={index ? 'one' : 'all'}
          onChange={e => props.onChange(e.target.value === 'all' ? null : shape.map(() => 0))}
        >
          <option value="all">{trans.__('all bindings (summed)')}</option>
          <option value="one">{trans.__('one binding')}</option>
        </select>
      </label>
      {index
        ? shape.map((size, axis) => (
            <AxisIndex
              key={axis}
              axis={axis}
              size={size}
              value={index[axis] ?? 0}
              className="qrt-BindingIndex"
              label={trans.__('index on axis %1', axis)}
              onChange={v => props.onChange(index.map((old, i) => (i === axis ? (v ?? 0) : old)))}
            />
          ))
        : null}
    </fieldset>
  );
}

/** Estimator: which axis runs along x; every other axis fixed at one index or one line each. */
function AxisPicker(props: {
  shape: number[];
  /** What changes along each axis ("θ", "observables"), or "" when unknown. */
  names: string[];
  x: number;
  at: (number | null)[];
  trans: Trans;
  onChange: (x: number, at: (number | null)[]) => void;
}): JSX.Element {
  const { shape, x, at, trans } = props;
  const named = (axis: number): string =>
    props.names[axis]
      ? trans.__('%1 (axis %2)', props.names[axis], axis)
      : trans.__('axis %1', axis);
  return (
    <fieldset className="qrt-AxisPicker">
      <legend>{trans.__('Axes (shape %1)', `(${shape.join(', ')})`)}</legend>
      <label>
        {trans.__('x axis')}
        <select
          className="qrt-XAxis"
          value={x}
          onChange={e => {
            const next = Number(e.target.value);
            props.onChange(
              next,
              at.map((v, i) => (i === next ? null : v))
            );
          }}
        >
          {shape.map((size, axis) => (
            <option key={axis} value={axis}>
              {trans.__('%1, %2 values', named(axis), size)}
            </option>
          ))}
        </select>
      </label>
      {shape.map((size, axis) =>
        axis === x ? null : (
          <AxisIndex
            key={axis}
            axis={axis}
            size={size}
            value={at[axis] ?? null}
            allLabel={trans.__('one line each')}
            className="qrt-FixedIndex"
            label={trans.__('%1 at', named(axis))}
            onChange={v =>
              props.onChange(
                x,
                at.map((old, i) => (i === axis ? v : old))
              )
            }
          />
        )
      )}
    </fieldset>
  );
}

function ResultPlot(
  props: IViewContext & { id: string; preferences: IResultPreferences; shapes: number[][] }
): JSX.Element {
  const { model, trans, id } = props;
  const node = React.useRef<HTMLDivElement>(null);
  const [options, setOptions] = React.useState<IFigureOptions>({
    pub: 0,
    register: '',
    topK: props.preferences.topK,
    sort: 'count',
    ket: false,
    index: null,
    x: null,
    at: null,
    param: ''
  });
  const [body, setBody] = React.useState<Qrt.IResultFigure | null>(null);
  const [error, setError] = React.useState('');
  React.useEffect(() => {
    let stale = false;
    const started = performance.now();
    void loadPlotly(); // its first load overlaps the figure request
    model
      .jobFigure(id, {
        pub: options.pub,
        register: options.register,
        topK: options.topK,
        sort: options.sort,
        labels: options.ket ? 'ket' : 'raw',
        index: options.index,
        x: options.x,
        at: options.at,
        param: options.param
      })
      .then(async answer => {
        if (stale || !node.current) {
          return;
        }
        const answered = performance.now() - started;
        setError('');
        setBody(answer);
        const plotted = await renderFigure(node.current, answer.figure);
        const elapsed = performance.now() - started;
        node.current.dataset.renderMs = elapsed.toFixed(1);
        node.current.dataset.answerMs = answered.toFixed(1);
        node.current.dataset.plotMs = plotted.toFixed(1);
        node.current.dataset.rendered = answer.kind;
        node.current.dataset.index = answer.index ? answer.index.join(',') : 'all';
        node.current.dataset.x = answer.x === undefined ? '' : String(answer.x);
        performance.mark('qrt-result-rendered', { detail: { ms: elapsed } });
      })
      .catch(e => {
        if (!stale) {
          setError(errorText(e));
        }
      });
    return () => {
      stale = true;
    };
  }, [id, options]);
  const set = (patch: Partial<IFigureOptions>) => setOptions({ ...options, ...patch });
  const shape = body?.shape ?? props.shapes[options.pub] ?? [];
  const pubReset = { register: '', index: null, x: null, at: null, param: '' };
  return (
    <section className="qrt-Result" aria-label={trans.__('Result')}>
      <div className="qrt-Controls">
        {body && body.pubs > 1 ? (
          <label>
            {trans.__('PUB')}
            <select
              className="qrt-PubSelect"
              value={options.pub}
              onChange={e => set({ pub: Number(e.target.value), ...pubReset })}
            >
              {Array.from({ length: body.pubs }, (_, i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {body?.kind === 'sampler' ? (
          <>
            {body.registers.length > 1 ? (
              <label>
                {trans.__('Register')}
                <select value={body.register} onChange={e => set({ register: e.target.value })}>
                  {body.registers.map(r => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              {trans.__('Sort')}
              <select
                className="qrt-SortSelect"
                value={options.sort}
                onChange={e => set({ sort: e.target.value })}
              >
                <option value="count">{trans.__('by count')}</option>
                <option value="key">{trans.__('by bitstring')}</option>
              </select>
            </label>
            <label>
              {trans.__('Top')}
              <input
                type="number"
                className="qrt-TopK"
                min={1}
                max={1024}
                value={options.topK}
                onChange={e =>
                  set({ topK: Math.min(1024, Math.max(1, Number(e.target.value) || 1)) })
                }
              />
            </label>
            <label className="qrt-AccountForm-check">
              <input
                type="checkbox"
                className="qrt-KetLabels"
                checked={options.ket}
                onChange={e => set({ ket: e.target.checked })}
              />
              {trans.__('Ket labels')}
            </label>
          </>
        ) : null}
      </div>
      {body?.kind === 'sampler' && shape.length > 0 ? (
        <BindingPicker
          shape={shape}
          index={options.index}
          trans={trans}
          onChange={index => set({ index })}
        />
      ) : null}
      {body?.kind === 'estimator' && shape.length >= 2 ? (
        <AxisPicker
          shape={shape}
          names={body.axes ?? []}
          x={options.x ?? body.x ?? shape.length - 1}
          at={options.at ?? shape.map(() => null)}
          trans={trans}
          onChange={(x, at) => set({ x, at })}
        />
      ) : null}
      {body?.kind === 'estimator' && (body.parameters?.length ?? 0) > 1 ? (
        <label className="qrt-ParamPicker">
          {trans.__('Values along x')}
          <select
            className="qrt-XParam"
            value={options.param || body.param || ''}
            onChange={e => set({ param: e.target.value })}
          >
            {(body.parameters ?? []).map(name => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      <div
        ref={node}
        className="qrt-Plot qrt-ResultPlot"
        role="img"
        aria-label={trans.__('Result plot; the table below lists the same values.')}
      />
      {body ? <FigureTable figure={body.figure} trans={trans} /> : null}
    </section>
  );
}

/** The plotted values as a table (the non-visual alternative). */
/** The job's timestamps by their plain names. */
function timestampName(key: string): string {
  const names: { [key: string]: string } = {
    created: 'Created',
    running: 'Started',
    finished: 'Finished'
  };
  return names[key] ?? key;
}

/** A y value with its error bar in one rounding ("0.988 ± 0.012"), or a count. */
function cellValue(y: unknown, error: unknown): string {
  if (typeof y !== 'number') {
    return String(y ?? '');
  }
  if (typeof error === 'number') {
    return expectation(y, error);
  }
  return Number.isInteger(y) ? count(y) : expectation(y);
}

function axisTitle(figure: Qrt.IFigure, axis: 'xaxis' | 'yaxis', fallback: string): string {
  const layout = figure.layout as { [key: string]: { title?: { text?: string } } | undefined };
  return layout[axis]?.title?.text || fallback;
}

function FigureTable(props: { figure: Qrt.IFigure; trans: IViewContext['trans'] }): JSX.Element {
  const { figure, trans } = props;
  const traces = figure.data as {
    name?: string;
    x?: unknown[];
    y?: unknown[];
    error_y?: { array?: unknown[] };
    customdata?: unknown[];
  }[];
  return (
    <details className="qrt-FigureTable">
      <summary>{trans.__('Values as a table')}</summary>
      {traces.map((t, i) => {
        // a sampler histogram carries each bar's percentage in customdata
        const sampler = Boolean(t.customdata);
        // an index (or any whole-number axis) reads "0, 1, 2", not "0.000, 1.000, 2.000"
        const whole = (t.x ?? []).every(x => typeof x === 'number' && Number.isInteger(x));
        return (
          <table key={i} className="qrt-Table">
            <caption>{t.name ?? ''}</caption>
            <thead>
              <tr>
                <th>{sampler ? trans.__('outcome') : trans.__(axisTitle(figure, 'xaxis', 'x'))}</th>
                <th>{sampler ? trans.__('count') : trans.__(axisTitle(figure, 'yaxis', 'y'))}</th>
                {sampler ? <th>{trans.__('probability')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {(t.x ?? []).map((x, j) => (
                <tr key={j}>
                  <td>{typeof x !== 'number' ? String(x) : whole ? count(x) : num(x, 4)}</td>
                  <td>{cellValue(t.y?.[j], t.error_y?.array?.[j])}</td>
                  {sampler ? <td>{probability(Number(t.customdata?.[j]) / 100)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </details>
  );
}

/** Seconds from `from` to `to` (ISO times), or null when either is missing. */
function between(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) {
    return null;
  }
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}

function JobView(props: IViewContext & { id: string; preferences: IResultPreferences }) {
  const { model, trans, id } = props;
  const status = model.job(id)?.status ?? '';
  const [detail, setDetail] = React.useState<Qrt.IJobDetail | null>(null);
  const [result, setResult] = React.useState<Qrt.IResultSummary | null>(null);
  const [error, setError] = React.useState('');
  const [deleted, setDeleted] = React.useState(false);
  React.useEffect(() => {
    model
      .jobDetail(id)
      .then(body => {
        setDetail(body);
        return body.final ? model.jobResult(id).then(setResult) : undefined;
      })
      .catch(e => setError(errorText(e)));
  }, [id, status]);
  if (!detail) {
    return (
      <div className="qrt-View">
        {error ? (
          <p className="qrt-Error" role="alert">
            {error}
          </p>
        ) : (
          trans.__('Loading job %1…', id)
        )}
      </div>
    );
  }
  const explanation = detail.explanation;
  if (deleted) {
    return (
      <div className="qrt-View qrt-JobView" data-job-id={id} data-status="deleted">
        <p role="status">{trans.__('Job %1 was deleted from the service.', id)}</p>
      </div>
    );
  }
  const times = detail.timestamps ?? {};
  const queued = between(times.created, times.running ?? times.finished);
  const ran = between(times.running, times.finished);
  // the reason ("Cancelled by the user.") is shown once: not again as the result's error text
  const reason = detail.reason && detail.status !== 'Completed' ? detail.reason.trim() : '';
  const errorText_ = result?.error_text?.trim() ?? '';
  // a cancelled job's error text only repeats the reason; a failure's traceback says more
  const repeats =
    errorText_ === reason || (detail.status === 'Cancelled' && errorText_.includes(reason));
  const errorTextShown = errorText_ && !repeats ? errorText_ : '';
  const onRun = (action: () => Promise<boolean>, after?: () => void) =>
    void action()
      .then(done => (done && after ? after() : undefined))
      .catch(e => setError(errorText(e)));
  return (
    <div
      className="qrt-View qrt-JobView"
      data-job-id={id}
      data-status={detail.status.toLowerCase()}
    >
      <header className="qrt-View-header">
        <h2>
          {trans.__('Job %1', id)} <StatusBadge status={detail.status} trans={trans} />
        </h2>
        <dl className="qrt-Facts qrt-Facts-inline">
          <dt>{trans.__('Primitive')}</dt>
          <dd>{detail.program ?? '—'}</dd>
          <dt>{trans.__('Backend')}</dt>
          <dd>{detail.backend ?? '—'}</dd>
          <dt>{trans.__('Session')}</dt>
          <dd>{detail.session_id ?? '—'}</dd>
          <dt>{trans.__('Queue time')}</dt>
          <dd data-field="queue-time" title={trans.__('From created to running')}>
            {queued === null ? '—' : duration(queued)}
          </dd>
          <dt>{trans.__('Run time')}</dt>
          <dd data-field="run-time" title={trans.__('From running to finished')}>
            {ran === null ? '—' : duration(ran)}
          </dd>
          <dt>{trans.__('Usage')}</dt>
          <dd
            title={trans.__(usageHint(model.accounts?.active?.local ?? false))}
            data-field="usage"
          >
            {duration(detail.usage_seconds)}
          </dd>
          <dt>{trans.__('Tags')}</dt>
          <dd>{detail.tags.join(', ') || '—'}</dd>
        </dl>
        <div className="qrt-Buttons">
          <button type="button" className="jp-mod-styled" onClick={() => void copyText(id)}>
            {trans.__('Copy job ID')}
          </button>
          <button
            type="button"
            className="jp-mod-styled"
            title={trans.__('Insert code that fetches this job into the notebook you were in')}
            onClick={() => void props.commands.execute(CommandIDs.insertJob, { id })}
          >
            {trans.__('Insert in notebook')}
          </button>
          {detail.final ? (
            <button
              type="button"
              className="jp-mod-styled jp-mod-warn"
              title={trans.__('Delete this job from the service (asks first)')}
              onClick={() =>
                onRun(
                  () => confirmDelete(props, id),
                  () => setDeleted(true)
                )
              }
            >
              {trans.__('Delete job')}
            </button>
          ) : (
            <button
              type="button"
              className="jp-mod-styled jp-mod-warn"
              title={trans.__('Cancel this job (asks first)')}
              onClick={() => onRun(() => confirmCancel(props, id))}
            >
              {trans.__('Cancel job')}
            </button>
          )}
        </div>
      </header>
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      {explanation ? (
        <section className="qrt-Failure" role="alert">
          <h3>{trans.__('Error %1: %2', explanation.code, explanation.title)}</h3>
          <p>{explanation.explanation}</p>
          <p>
            <strong>{trans.__('What to do:')}</strong> {explanation.hint}
          </p>
          {explanation.url ? (
            <a href={explanation.url} target="_blank" rel="noreferrer">
              {trans.__('More about this error')}
            </a>
          ) : null}
        </section>
      ) : reason ? (
        <p className="qrt-Failure">{reason}</p>
      ) : null}
      {detail.timestamps ? (
        <table className="qrt-Table qrt-Timestamps" aria-label={trans.__('Timestamps')}>
          <tbody>
            {Object.entries(detail.timestamps).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{trans.__(timestampName(k))}</th>
                <td>
                  {v ? (
                    <>
                      {localTime(v)} (<Age iso={v} trans={trans} />)
                    </>
                  ) : (
                    DASH
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result && result.status === 'Completed' && result.pubs?.length ? (
        <ResultPlot {...props} shapes={result.pubs.map(p => p.shape)} />
      ) : null}
      {errorTextShown ? <pre className="qrt-Logs">{errorTextShown}</pre> : null}
      {detail.logs ? (
        <details className="qrt-LogsBox">
          <summary>{trans.__('Logs')}</summary>
          <pre className="qrt-Logs">{detail.logs}</pre>
        </details>
      ) : null}
    </div>
  );
}

/** A main-area view of one job: facts, failure explanation, timestamps, result plot, logs. */
export function createJobView(
  ctx: IViewContext,
  id: string,
  preferences: IResultPreferences
): MainAreaWidget {
  const content = ReactWidget.create(
    <UseSignal signal={ctx.model.changed} shouldUpdate={(_, part: string) => part === 'jobs'}>
      {() => <JobView {...ctx} id={id} preferences={preferences} />}
    </UseSignal>
  );
  content.addClass('qrt-ViewContent');
  const widget = new MainAreaWidget({ content });
  widget.id = `qrt-lab-job-${id}`;
  widget.title.label = ctx.trans.__('Job %1', id.slice(0, 10));
  widget.title.caption = ctx.trans.__('Job %1', id);
  widget.title.closable = true;
  return widget;
}
