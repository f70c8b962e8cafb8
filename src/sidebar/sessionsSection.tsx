import * as React from 'react';

import { DASH, sessionJobs, statusWord, usageHint } from '../format';
import { Qrt } from '../tokens';
import { CommandIDs, IViewContext, ModelWidget, StatusBadge, duration, errorText } from './common';

const OPEN_STATES = new Set(['open', 'active', 'inactive', 'pending']);

function isOpen(session: Qrt.ISession): boolean {
  return OPEN_STATES.has(String(session.state ?? '').toLowerCase());
}

/** Seconds left, counting down locally between refreshes. */
function Countdown(props: { seconds: number | null | undefined; since: number }): JSX.Element {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (props.seconds === null || props.seconds === undefined) {
    return <span>{DASH}</span>;
  }
  const left = props.seconds - (now - props.since) / 1000;
  return <span className="qrt-Countdown">{duration(Math.max(0, left))}</span>;
}

function SessionRow(props: IViewContext & { session: Qrt.ISession }): JSX.Element {
  const { model, trans, commands, session } = props;
  const [detail, setDetail] = React.useState<{ body: Qrt.ISessionDetail; at: number } | null>(null);
  const [error, setError] = React.useState('');
  const [open, setOpen] = React.useState(false);
  const load = () =>
    model
      .sessionDetail(session.id)
      .then(body => setDetail({ body, at: Date.now() }))
      .catch(e => setError(errorText(e)));
  React.useEffect(() => {
    if (open) {
      void load();
    }
  }, [open, session.state, session.accepting_jobs, session.open_jobs]);
  const act = (cancel: boolean) => {
    setError('');
    model.closeSession(session.id, cancel).catch(e => setError(errorText(e)));
  };
  const backend = session.backend ?? session.backend_name ?? '';
  return (
    <li className="qrt-SessionRow" data-session-id={session.id} data-state={session.state ?? ''}>
      <div className="qrt-SessionRow-head">
        <button
          type="button"
          className="qrt-Link"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾ ' : '▸ '}
          {session.mode === 'batch' ? trans.__('Batch') : trans.__('Session')} {session.id}
        </button>
      </div>
      <dl className="qrt-Facts">
        <dt>{trans.__('State')}</dt>
        <dd data-field="state">{session.state ? trans.__(statusWord(session.state)) : DASH}</dd>
        <dt>{trans.__('Usage')}</dt>
        <dd data-field="usage" title={trans.__(usageHint(model.accounts?.active?.local ?? false))}>
          {duration(session.elapsed_time)}
        </dd>
        <dt>{trans.__('Backend')}</dt>
        <dd>{backend}</dd>
        <dt>{trans.__('Accepting jobs')}</dt>
        <dd data-field="accepting">
          {session.accepting_jobs === null
            ? '—'
            : session.accepting_jobs
              ? trans.__('yes')
              : trans.__('no')}
        </dd>
        {session.job_count !== undefined ? (
          <>
            <dt>{trans.__('Jobs')}</dt>
            <dd data-field="jobs">{sessionJobs(session.job_count, session.open_jobs)}</dd>
          </>
        ) : null}
        {open && detail ? (
          <>
            <dt>{trans.__('Time left')}</dt>
            <dd data-field="time-left">
              <Countdown seconds={detail.body.time_remaining_seconds} since={detail.at} />
            </dd>
          </>
        ) : null}
      </dl>
      {isOpen(session) ? (
        <div className="qrt-Buttons">
          <button
            type="button"
            className="jp-mod-styled qrt-Small"
            aria-label={trans.__('Close session %1', session.id)}
            title={trans.__('Stop accepting new jobs; queued jobs still run')}
            onClick={() => act(false)}
          >
            {trans.__('Close')}
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-mod-warn qrt-Small"
            aria-label={trans.__('Cancel session %1', session.id)}
            title={trans.__('Cancel the session and its queued jobs')}
            onClick={() => act(true)}
          >
            {trans.__('Cancel')}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      {open && detail?.body.jobs?.length ? (
        <ul className="qrt-SessionJobs">
          {detail.body.jobs.map(j => (
            <li key={j.id}>
              <StatusBadge status={j.status} trans={trans} />{' '}
              <button
                type="button"
                className="qrt-Link"
                onClick={() => void commands.execute(CommandIDs.openJob, { id: j.id })}
              >
                {j.id}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The Sessions section: sessions and batches, their state, time left, jobs; close or cancel. */
export class SessionsSection extends ModelWidget {
  constructor(ctx: IViewContext) {
    super(ctx, ['sessions']);
    this.id = 'qrt-lab-sessions';
    this.addClass('qrt-Section');
    this.title.label = ctx.trans.__('Sessions');
  }

  protected renderBody(): JSX.Element {
    const { trans } = this.ctx;
    const sessions = [...this.ctx.model.sessions].sort(
      (a, b) =>
        Number(isOpen(b)) - Number(isOpen(a)) ||
        String(b.last_job_created ?? '').localeCompare(String(a.last_job_created ?? ''))
    );
    return (
      <div className="qrt-Section-body qrt-Sessions">
        {sessions.length === 0 ? (
          <p className="qrt-Empty">{trans.__('No sessions or batches.')}</p>
        ) : (
          <ul className="qrt-SessionList">
            {sessions.map(s => (
              <SessionRow key={s.id} {...this.ctx} session={s} />
            ))}
          </ul>
        )}
      </div>
    );
  }
}
