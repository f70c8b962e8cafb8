import type { IJobTransition, Qrt } from '../tokens';

/** What applying events changed. */
export interface IStoreChange {
  jobs: boolean;
  sessions: boolean;
  transitions: IJobTransition[];
}

/** Filters of the jobs list. */
export interface IJobFilter {
  status?: string;
  backend?: string;
  tag?: string;
  /** The primitive (`sampler`, `estimator`, `executor`). */
  program?: string;
  /** A session or batch ID. */
  session?: string;
  /** Part of a job ID (case-insensitive). */
  id?: string;
}

function createdMs(job: Qrt.IJobSummary): number {
  const ms = job.created ? Date.parse(job.created) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * The jobs and sessions of the active account, reduced from REST listings and events.
 *
 * Pure (no DOM, no JupyterLab) so it is unit-tested under node.
 */
export class JobStore {
  /** Jobs, newest first (a new array after every change, so views can compare identity). */
  get jobs(): readonly Qrt.IJobSummary[] {
    if (this._sorted === null) {
      this._sorted = [...this._jobs.values()].sort(
        (a, b) => createdMs(b) - createdMs(a) || (a.id < b.id ? 1 : -1)
      );
      this._index = new Map(this._sorted.map((job, i) => [job.id, i]));
    }
    return this._sorted;
  }

  get sessions(): Qrt.ISession[] {
    return [...this._sessions.values()];
  }

  job(id: string): Qrt.IJobSummary | undefined {
    return this._jobs.get(id);
  }

  /** Number of queued and running jobs. */
  counts(): { queued: number; running: number } {
    let queued = 0;
    let running = 0;
    for (const job of this._jobs.values()) {
      if (job.status === 'Queued') {
        queued += 1;
      } else if (job.status === 'Running') {
        running += 1;
      }
    }
    return { queued, running };
  }

  /** Forget everything (the active account changed). */
  clear(): void {
    this._jobs.clear();
    this._sessions.clear();
    this._sorted = null;
  }

  /** Merge a REST listing or snapshot of jobs; returns status transitions of known jobs. */
  mergeJobs(jobs: Qrt.IJobSummary[]): IJobTransition[] {
    const transitions: IJobTransition[] = [];
    for (const job of jobs) {
      const known = this._jobs.get(job.id);
      if (known && known.status !== job.status) {
        transitions.push({ job, previous: known.status });
      }
      this._jobs.set(job.id, job);
    }
    this._sorted = null;
    return transitions;
  }

  /** Replace the sessions with a listing. */
  setSessions(sessions: Qrt.ISession[]): void {
    this._sessions = new Map(sessions.map(s => [s.id, s]));
  }

  /** Apply one `events` websocket message. */
  apply(event: Qrt.Event): IStoreChange {
    const change: IStoreChange = { jobs: false, sessions: false, transitions: [] };
    switch (event.type) {
      case 'snapshot':
        change.transitions = this.mergeJobs(event.jobs ?? []);
        for (const session of event.sessions ?? []) {
          this._sessions.set(session.id, { ...this._sessions.get(session.id), ...session });
        }
        change.jobs = true;
        change.sessions = true;
        break;
      case 'job':
        if (event.event === 'deleted') {
          change.jobs = this._jobs.delete(event.job_id);
          this._sorted = null;
        } else {
          change.jobs = true;
          const known = this._jobs.get(event.job.id);
          const previous = known?.status ?? (event.previous?.status as Qrt.JobStatus | undefined);
          if (previous && previous !== event.job.status) {
            change.transitions.push({ job: event.job, previous });
          } else if (!known && event.event === 'created' && event.job.final) {
            // it ran and finished between two polls of the monitor: still news
            change.transitions.push({ job: event.job, previous: null });
          }
          this._update(event.job);
        }
        break;
      case 'session':
        if (event.session) {
          const known = this._sessions.get(event.id);
          this._sessions.set(event.id, {
            mode: null,
            state: null,
            accepting_jobs: null,
            ...known,
            ...event.session,
            id: event.id
          });
        }
        change.sessions = true;
        break;
      case 'account':
        this.clear();
        change.jobs = true;
        change.sessions = true;
        break;
      default:
        break;
    }
    return change;
  }

  /** Jobs matching every given filter (empty filters match all). */
  filter(filter: IJobFilter): readonly Qrt.IJobSummary[] {
    const { status, backend, tag, program, session } = filter;
    const id = (filter.id ?? '').trim().toLowerCase();
    if (!status && !backend && !tag && !program && !session && !id) {
      return this.jobs;
    }
    return this.jobs.filter(
      job =>
        (!status || job.status === status) &&
        (!backend || job.backend === backend) &&
        (!tag || job.tags.includes(tag)) &&
        (!program || job.program === program) &&
        (!session || job.session_id === session) &&
        (!id || job.id.toLowerCase().includes(id))
    );
  }

  /** Forget a job (deleted on the platform). */
  remove(id: string): void {
    if (this._jobs.delete(id)) {
      this._sorted = null;
    }
  }

  private _update(job: Qrt.IJobSummary): void {
    const known = this._jobs.get(job.id);
    this._jobs.set(job.id, job);
    const index = this._index.get(job.id);
    // A status change keeps the order: swap the row in a copied array instead of re-sorting.
    if (known && this._sorted !== null && index !== undefined && known.created === job.created) {
      const next = this._sorted.slice();
      next[index] = job;
      this._sorted = next;
    } else {
      this._sorted = null;
    }
  }

  private _jobs = new Map<string, Qrt.IJobSummary>();
  private _sessions = new Map<string, Qrt.ISession>();
  private _sorted: Qrt.IJobSummary[] | null = null;
  private _index = new Map<string, number>();
}
