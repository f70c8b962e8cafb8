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

function BackendsTable(props: IViewContext): JSX.Element {
  const { model, trans, commands } = props;
  const [sort, setSort] = React.useState<{ key: Key; up: boolean }>({ key: 'name', up: true });
  const [filter, setFilter] = React.useState('');
  // roving focus: one row is the table's tab stop, the arrow keys move between rows
  const [active, setActive] = React.useState(0);
  const body = React.useRef<HTMLTableSectionElement>(null);
  React.useEffect(() => {
    void model.loadBackends();
    // plotly.js is a separate chunk: fetch it while the user reads the table
    const timer = setTimeout(() => void loadPlotly().catch(() => undefined), 1500);
    return () => clearTimeout(timer);
  }, []);
  const columns: [Key, string][] = [
    ['name', trans.__('Name')],
    ['qubits', trans.__('Qubits')],
    ['status', trans.__('Status')],
    ['queue_length', trans.__('Queue')],
    ['processor_type', trans.__('Processor')],
    ['two_q_error_median', trans.__('2Q err.')],
    ['readout_error_median', trans.__('Readout err.')],
    ['clops', trans.__('CLOPS')]
  ];
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
      <input
        type="search"
        className="qrt-Filter"
        placeholder={trans.__('Filter by name, processor, status')}
        aria-label={trans.__('Filter backends')}
        value={filter}
        onChange={e => setFilter(e.target.value)}
      />
      {problem ? (
        <p className="qrt-Error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="qrt-TableScroll">
        <table
          className="qrt-Table qrt-BackendsTable"
          aria-label={trans.__('Backends: Enter opens the coupling map, arrow keys move')}
        >
          <thead>
            <tr>
              {columns.map(([key, label]) => (
                <th
                  key={key}
                  aria-sort={sort.key === key ? (sort.up ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className="qrt-SortButton"
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
                <td>
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
                    <span className="qrt-Tag qrt-LeastBusy">{trans.__('least busy')}</span>
                  ) : null}
                </td>
                <td>{b.qubits}</td>
                <td>
                  <span className="qrt-BackendStatus" data-status={b.status}>
                    {b.status}
                  </span>
                </td>
                <td>{b.queue_length ?? '—'}</td>
                <td>
                  {String(b.processor_type ?? (b.is_simulator ? trans.__('simulator') : '—'))}
                </td>
                <td>{num(b.two_q_error_median)}</td>
                <td>{num(b.readout_error_median)}</td>
                <td>{b.clops ?? '—'}</td>
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
