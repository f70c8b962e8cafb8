import * as React from 'react';

import { loadPlotly } from '../plotly';
import { Qrt } from '../tokens';
import { CommandIDs, IViewContext, ModelWidget, num } from './common';

type Key = keyof Qrt.IBackendSummary;

/** The least busy online hardware backend (smallest queue), or ''. */
export function leastBusy(backends: Qrt.IBackendSummary[]): string {
  let best: Qrt.IBackendSummary | null = null;
  for (const b of backends) {
    if (b.is_simulator || b.status !== 'online' || b.queue_length === null) {
      continue;
    }
    if (best === null || (b.queue_length ?? 0) < (best.queue_length ?? 0)) {
      best = b;
    }
  }
  return best?.name ?? '';
}

function compare(a: unknown, b: unknown): number {
  if (a === b) {
    return 0;
  }
  if (a === null || a === undefined) {
    return 1;
  }
  if (b === null || b === undefined) {
    return -1;
  }
  return a < b ? -1 : 1;
}

/** A column: its key, header, width in px (name takes the rest) and its cell text. */
interface IColumn {
  key: Key;
  label: string;
  /** The header's full words where `label` is cut to fit (the `%qruntime backends` words). */
  full?: string;
  width: number;
  cell: (b: Qrt.IBackendSummary) => string;
}

function backendColumns(trans: IViewContext['trans']): IColumn[] {
  // in the order they are given room: name, qubits, status and one metric fit the default width
  return [
    { key: 'name', label: trans.__('Name'), width: 90, cell: b => b.name },
    { key: 'qubits', label: trans.__('Qubits'), width: 48, cell: b => String(b.qubits) },
    { key: 'status', label: trans.__('Status'), width: 48, cell: b => b.status },
    {
      key: 'two_q_error_median',
      label: trans.__('2Q err.'),
      full: trans.__('Median 2Q error'),
      width: 54,
      cell: b => num(b.two_q_error_median)
    },
    {
      key: 'queue_length',
      label: trans.__('Queue'),
      full: trans.__('Pending jobs'),
      width: 50,
      cell: b =>
        b.queue_length === null || b.queue_length === undefined ? '—' : String(b.queue_length)
    },
    {
      key: 'readout_error_median',
      label: trans.__('Readout err.'),
      full: trans.__('Median readout error'),
      width: 84,
      cell: b => num(b.readout_error_median)
    },
    {
      key: 'processor_type',
      label: trans.__('Processor'),
      width: 80,
      cell: b => String(b.processor_type ?? (b.is_simulator ? trans.__('simulator') : '—'))
    },
    { key: 'clops', label: trans.__('CLOPS'), width: 60, cell: b => String(b.clops ?? '—') }
  ];
}

/** The columns that fit `width` pixels, in priority order (at least the first four). */
export function columnsForWidth(widths: number[], width: number): number {
  let used = 0;
  let count = 0;
  for (const w of widths) {
    if (count >= 4 && used + w > width) {
      break;
    }
    used += w;
    count++;
  }
  return count;
}

/** The table's width, followed as the sidebar is resized. */
function useWidth(node: React.RefObject<HTMLElement>): number {
  const [width, setWidth] = React.useState(0);
  React.useEffect(() => {
    const target = node.current;
    if (!target) {
      return;
    }
    const observer = new ResizeObserver(() => setWidth(target.clientWidth));
    observer.observe(target);
    setWidth(target.clientWidth);
    return () => observer.disconnect();
  }, []);
  return width;
}

/** "Columns": a menu of checkboxes; the user's choice wins over the width's. */
function ColumnChooser(props: {
  columns: IColumn[];
  shown: Set<Key>;
  trans: IViewContext['trans'];
  onChange: (shown: Set<Key> | null) => void;
}): JSX.Element {
  const { columns, shown, trans } = props;
  return (
    <details className="qrt-ColumnChooser">
      <summary title={trans.__('Choose the columns of the backends table')}>
        {trans.__('Columns')}
      </summary>
      <fieldset aria-label={trans.__('Columns shown')}>
        {columns.map(c => (
          <label key={c.key}>
            <input
              type="checkbox"
              checked={shown.has(c.key)}
              disabled={c.key === 'name'}
              onChange={e => {
                const next = new Set(shown);
                if (e.target.checked) {
                  next.add(c.key);
                } else {
                  next.delete(c.key);
                }
                props.onChange(next);
              }}
            />
            {c.label}
          </label>
        ))}
        <button type="button" className="qrt-Link" onClick={() => props.onChange(null)}>
          {trans.__('Fit to width')}
        </button>
      </fieldset>
    </details>
  );
}

function BackendsTable(props: IViewContext): JSX.Element {
  const { model, trans, commands } = props;
  const [sort, setSort] = React.useState<{ key: Key; up: boolean }>({ key: 'name', up: true });
  const [filter, setFilter] = React.useState('');
  // roving focus: one row is the table's tab stop, the arrow keys move between rows
  const [active, setActive] = React.useState(0);
  const body = React.useRef<HTMLTableSectionElement>(null);
  const frame = React.useRef<HTMLDivElement>(null);
  const width = useWidth(frame);
  // null: as many columns as the width holds; a set: the user's choice
  const [chosen, setChosen] = React.useState<Set<Key> | null>(null);
  React.useEffect(() => {
    void model.loadBackends();
    // plotly.js is a separate chunk: fetch it while the user reads the table
    const timer = setTimeout(() => void loadPlotly().catch(() => undefined), 1500);
    return () => clearTimeout(timer);
  }, []);
  const all = backendColumns(trans);
  const fit = columnsForWidth(
    all.map(c => c.width),
    width || 230
  );
  const shown = chosen ?? new Set(all.slice(0, fit).map(c => c.key));
  const columns = all.filter(c => shown.has(c.key));
  const needle = filter.trim().toLowerCase();
  const rows = model.backends
    .filter(
      b =>
        !needle ||
        b.name.toLowerCase().includes(needle) ||
        String(b.processor_type ?? '')
          .toLowerCase()
          .includes(needle) ||
        b.status.toLowerCase().includes(needle)
    )
    .sort((a, b) => compare(a[sort.key], b[sort.key]) * (sort.up ? 1 : -1));
  const best = leastBusy(model.backends);
  const problem = (model as { backendsProblem?: string }).backendsProblem;
  const open = (name: string) => void commands.execute(CommandIDs.openBackend, { name });
  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    body.current?.querySelectorAll<HTMLElement>('tr')[next]?.focus();
  };
  const onKeyDown = (e: React.KeyboardEvent, index: number, name: string) => {
    const steps: { [key: string]: number } = { ArrowDown: 1, ArrowUp: -1 };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(name);
    } else if (e.key in steps) {
      e.preventDefault();
      focusRow(index + steps[e.key]);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusRow(e.key === 'Home' ? 0 : rows.length - 1);
    }
  };
  const current = Math.min(active, Math.max(0, rows.length - 1));
  return (
    <div className="qrt-Section-body qrt-Backends">
      <div className="qrt-BackendsBar">
        <input
          type="search"
          className="qrt-Filter"
          placeholder={trans.__('Filter by name, processor, status')}
          title={trans.__('Filter by name, processor, status')}
          aria-label={trans.__('Filter backends')}
          value={filter}
          onChange={e => setFilter(e.target.value)}
        />
        <ColumnChooser columns={all} shown={shown} trans={trans} onChange={setChosen} />
      </div>
      {problem ? (
        <p className="qrt-Error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="qrt-TableFrame" ref={frame}>
        <table
          className="qrt-Table qrt-BackendsTable"
          data-columns={columns.map(c => c.key).join(' ')}
          aria-label={trans.__('Backends: Enter opens the coupling map, arrow keys move')}
        >
          <colgroup>
            {columns.map(c => (
              <col key={c.key} style={c.key === 'name' ? undefined : { width: c.width }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {columns.map(({ key, label, full }) => (
                <th
                  key={key}
                  data-column={key}
                  aria-sort={sort.key === key ? (sort.up ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className="qrt-SortButton"
                    title={trans.__('Sort by %1', full ?? label)}
                    onClick={() => setSort({ key, up: sort.key === key ? !sort.up : true })}
                  >
                    {label}
                    {sort.key === key ? (sort.up ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={body}>
            {rows.map((b, i) => (
              <tr
                key={b.name}
                data-backend={b.name}
                className="qrt-FocusRow"
                tabIndex={i === current ? 0 : -1}
                aria-label={trans.__('%1, %2 qubits, %3', b.name, b.qubits, b.status)}
                onFocus={() => setActive(i)}
                onKeyDown={e => onKeyDown(e, i, b.name)}
              >
                {columns.map(c =>
                  c.key === 'name' ? (
                    <td key={c.key} data-column={c.key}>
                      <span className="qrt-NameCell">
                        <button
                          type="button"
                          className="qrt-Link"
                          tabIndex={-1}
                          title={trans.__('Open %1: coupling map and calibration', b.name)}
                          onClick={() => open(b.name)}
                        >
                          {b.name}
                        </button>
                        {b.name === best ? (
                          <span
                            className="qrt-Tag qrt-LeastBusy"
                            title={trans.__(
                              'Least busy: the online device with the shortest queue'
                            )}
                          >
                            <span aria-hidden="true">★</span>
                            <span className="qrt-LeastBusy-text">{trans.__('least busy')}</span>
                          </span>
                        ) : null}
                      </span>
                    </td>
                  ) : (
                    <td
                      key={c.key}
                      data-column={c.key}
                      title={`${c.full ?? c.label}: ${c.cell(b)}`}
                    >
                      {c.key === 'status' ? (
                        <span className="qrt-BackendStatus" data-status={b.status}>
                          {b.status}
                        </span>
                      ) : (
                        c.cell(b)
                      )}
                    </td>
                  )
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The Backends section: a sortable, filterable table; a name opens the backend view. */
export class BackendsSection extends ModelWidget {
  constructor(ctx: IViewContext) {
    super(ctx, ['backends']);
    this.id = 'qrt-lab-backends';
    this.addClass('qrt-Section');
    this.title.label = ctx.trans.__('Backends');
  }

  protected renderBody(): JSX.Element {
    return <BackendsTable {...this.ctx} />;
  }
}
