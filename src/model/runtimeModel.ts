import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { Endpoints } from '../api/endpoints';
import { EventStream } from '../api/events';
import { API_NAMESPACE, QrtApiError } from '../api/request';
import { sameVersion } from '../semver';
import { IJobTransition, IRuntimeModel, Qrt, ServerState } from '../tokens';
import { JobStore } from './jobStore';

/** Longest wait between failed polls (ms). */
const MAX_BACKOFF = 300 * 1000;
/** Jobs per page of older jobs (the runtime's largest page). */
const OLDER_PAGE = 200;

/** While the runtime is unreachable and the page visible, ask the server to retry this often. */
const RECOVERY_INTERVAL = 10 * 1000;

/** Options of {@link RuntimeModel}. */
export interface IRuntimeModelOptions {
  frontendVersion: string;
  /** Seconds between fallback polls. */
  interval: number;
  settings?: ServerConnection.ISettings;
}

function describe(error: unknown): string {
  if (error instanceof QrtApiError) {
    return error.hint ? `${error.message} ${error.hint}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * All qrt-lab server state of the page: fed by the `events` websocket; a Lumino `Poll` checks the
 * server, reconnects the socket and refreshes over REST while the socket is down.
 */
export class RuntimeModel implements IRuntimeModel {
  constructor(options: IRuntimeModelOptions) {
    this.frontendVersion = options.frontendVersion;
    this._api = new Endpoints(options.settings);
    this._stream = new EventStream(this._api.settings);
    this._stream.message.connect((_, event) => this._onEvent(event));
    this._stream.connection.connect((_, open) => {
      this._live = open;
      this._emit('live');
      if (!open) {
        // the socket dropped: let the fallback poll take over now
        void this._poll.refresh();
      }
    });
    this._poll = new Poll({
      auto: false,
      factory: () => this._tick(),
      frequency: {
        interval: options.interval * 1000,
        backoff: true,
        max: Math.max(options.interval * 1000, MAX_BACKOFF)
      },
      name: 'qrt-lab:runtime-model',
      standby: 'when-hidden'
    });
    this._recovery = new Poll({
      auto: false,
      factory: () => this._retryRuntime(),
      frequency: { interval: RECOVERY_INTERVAL, backoff: false },
      name: 'qrt-lab:runtime-recovery',
      standby: 'when-hidden'
    });
  }

  readonly frontendVersion: string;

  /** Start polling and listening (no traffic before this). */
  start(): void {
    void this._poll.start();
  }

  get serverState(): ServerState {
    return this._serverState;
  }
  get serverMessage(): string {
    return this._serverMessage;
  }
  get serverVersion(): Qrt.IServerVersion | null {
    return this._serverVersion;
  }
  get live(): boolean {
    return this._live;
  }
  get runtimeProblem(): string {
    return this._runtimeProblem;
  }
  get runtimeHint(): string {
    return this._runtimeHint;
  }
  get accounts(): Qrt.IAccounts | null {
    return this._accounts;
  }
  get instances(): Qrt.IInstance[] {
    return this._instances;
  }
  get usage(): Qrt.IUsage | null {
    return this._usage;
  }
  get backends(): Qrt.IBackendSummary[] {
    return this._backends;
  }
  get jobs(): readonly Qrt.IJobSummary[] {
    return this._store.jobs;
  }
  get jobsTotal(): number | null {
    return this._jobsTotal;
  }
  get hasOlderJobs(): boolean {
    return (
      this._olderMayExist && (this._jobsTotal === null || this._store.jobs.length < this._jobsTotal)
    );
  }

  /**
   * The page of jobs created up to the oldest one listed (the events stream and the first
   * listing bring only the newest). A page with no job not already listed ends the paging.
   */
  async loadOlderJobs(): Promise<void> {
    const jobs = this._store.jobs;
    if (this._olderLoading || !this.hasOlderJobs || jobs.length === 0) {
      return;
    }
    const oldest = jobs[jobs.length - 1];
    if (!oldest.created) {
      this._olderMayExist = false;
      return;
    }
    this._olderLoading = true;
    try {
      const page = await this._api.jobs(OLDER_PAGE, oldest.created);
      const added = page.jobs.filter(job => !this._store.job(job.id));
      // older jobs only: a status news of theirs is not announced
      this._store.mergeJobs(added);
      this._olderMayExist = added.length > 0 && page.jobs.length >= OLDER_PAGE;
    } catch {
      // the next scroll to the end tries again; an outage is reported by the jobs listing
    } finally {
      this._olderLoading = false;
    }
    this._emit('jobs');
  }
  get sessions(): Qrt.ISession[] {
    return this._store.sessions;
  }
  get store(): JobStore {
    return this._store;
  }
  get changed(): ISignal<this, string> {
    return this._changed;
  }
  get jobTransition(): ISignal<this, IJobTransition> {
    return this._jobTransition;
  }

  get interval(): number {
    return this._poll.frequency.interval / 1000;
  }
  set interval(seconds: number) {
    const interval = seconds * 1000;
    this._poll.frequency = {
      ...this._poll.frequency,
      interval,
      max: Math.max(interval, MAX_BACKOFF)
    };
  }

  job(id: string): Qrt.IJobSummary | undefined {
    return this._store.job(id);
  }

  /** Reload everything now and ask the server's monitor for an immediate poll. */
  async refresh(): Promise<void> {
    this._stream.send({ type: 'refresh' });
    await Promise.all([this._loadAll(), this.loadBackends(true)]);
  }

  async loadBackends(force = false): Promise<void> {
    if (this._backendsLoaded && !force) {
      return;
    }
    try {
      this._backends = (await this._api.backends()).backends;
      this._backendsLoaded = true;
      this._backendsProblem = '';
    } catch (error) {
      this._backendsProblem = describe(error);
    }
    this._emit('backends');
  }

  /** Why the backends could not be listed, or ''. */
  get backendsProblem(): string {
    return this._backendsProblem;
  }

  async addAccount(body: {
    name: string;
    channel: string;
    token: string;
    instance?: string;
    set_as_default?: boolean;
  }): Promise<void> {
    this._accounts = await this._api.addAccount(body);
    this._emit('accounts');
  }

  async deleteAccount(name: string): Promise<void> {
    this._accounts = await this._api.deleteAccount(name);
    this._emit('accounts');
  }

  async activate(name: string, instance?: string): Promise<void> {
    await this._api.activate(name, instance);
    this._store.clear();
    this._jobsTotal = null;
    this._olderMayExist = true;
    this._backendsLoaded = false;
    this._emit('jobs');
    await Promise.all([this._loadAll(), this.loadBackends(true)]);
  }

  backendDetail(name: string): Promise<Qrt.IBackendDetail> {
    return this._api.backend(name);
  }

  backendFigure(
    name: string,
    qubit: string,
    edge: string,
    styles = false
  ): Promise<Qrt.IBackendFigure> {
    return this._api.backendFigure(name, qubit, edge, styles);
  }

  calibrationCsvUrl(name: string): string {
    return URLExt.join(
      this._api.settings.baseUrl,
      API_NAMESPACE,
      'api',
      'backends',
      encodeURIComponent(name),
      'calibration.csv'
    );
  }

  jobDetail(id: string): Promise<Qrt.IJobDetail> {
    return this._api.job(id);
  }

  jobResult(id: string): Promise<Qrt.IResultSummary> {
    return this._api.result(id);
  }

  jobFigure(id: string, options: Qrt.IFigureQuery): Promise<Qrt.IResultFigure> {
    const query = new URLSearchParams({
      pub: String(options.pub ?? 0),
      register: options.register ?? '',
      top_k: String(options.topK ?? 16),
      sort: options.sort ?? 'count',
      axis: String(options.axis ?? 0)
    });
    if (options.labels) {
      query.set('labels', options.labels);
    }
    if (options.index) {
      query.set('index', options.index.join(','));
    }
    if (options.x !== undefined && options.x !== null) {
      query.set('x', String(options.x));
    }
    if (options.at) {
      query.set('at', options.at.map(i => (i === null ? ':' : String(i))).join(','));
    }
    if (options.param) {
      query.set('param', options.param);
    }
    return this._api.jobFigure(id, query);
  }

  async cancelJob(id: string): Promise<void> {
    await this._api.cancel(id);
  }

  async deleteJob(id: string): Promise<void> {
    await this._api.deleteJob(id);
    this._store.remove(id);
    this._emit('jobs');
  }

  sessionDetail(id: string): Promise<Qrt.ISessionDetail> {
    return this._api.session(id);
  }

  async closeSession(id: string, cancel = false): Promise<void> {
    await this._api.closeSession(id, cancel);
    await this._loadSessions();
  }

  dispose(): void {
    this._poll.dispose();
    this._recovery.dispose();
    this._stream.dispose();
    Signal.clearData(this);
  }

  /** One fallback tick: check the server; while the socket is down, reconnect and reload. */
  private async _tick(): Promise<void> {
    try {
      const server = await this._api.version();
      this._serverVersion = server;
      if (sameVersion(server.version, this.frontendVersion)) {
        this._setServer('ok', '');
      } else {
        this._setServer('mismatch', '');
      }
    } catch (error) {
      this._serverVersion = null;
      if (error instanceof QrtApiError && error.kind === 'not-enabled') {
        this._setServer('not-enabled', describe(error));
      } else {
        this._setServer('unavailable', describe(error));
      }
      // Rejecting makes the Poll back off before the next try.
      throw error;
    }
    if (!this._live) {
      this._stream.connect();
      await this._loadAll();
    }
  }

  private async _loadAll(): Promise<void> {
    await Promise.all([this._loadAccounts(), this._loadJobs(), this._loadSessions()]);
  }

  private async _loadAccounts(): Promise<void> {
    try {
      this._accounts = await this._api.accounts();
    } catch (error) {
      this._accounts = null;
      this._setProblem(describe(error));
    }
    this._emit('accounts');
    const [instances, usage] = await Promise.allSettled([this._api.instances(), this._api.usage()]);
    this._instances = instances.status === 'fulfilled' ? instances.value.instances : [];
    this._usage = usage.status === 'fulfilled' ? usage.value : null;
    this._emit('usage');
  }

  private async _loadJobs(): Promise<void> {
    try {
      const { jobs, count } = await this._api.jobs();
      this._jobsTotal = typeof count === 'number' ? count : null;
      this._transitions(this._store.mergeJobs(jobs));
      this._setProblem('');
    } catch (error) {
      if (error instanceof QrtApiError) {
        this._setProblem(error.message, error.hint);
      } else {
        this._setProblem(describe(error));
      }
    }
    this._emit('jobs');
  }

  private async _loadSessions(): Promise<void> {
    try {
      this._store.setSessions((await this._api.sessions()).sessions);
    } catch {
      // the jobs listing reports the same problem
    }
    this._emit('sessions');
  }

  private _onEvent(event: Qrt.Event): void {
    // a mark per event lets the browser benchmarks time event → screen
    performance.mark('qrt-event');
    if (event.type === 'monitor') {
      if (event.state === 'unavailable') {
        this._setProblem(event.message ?? 'unavailable', event.hint ?? '');
      } else {
        this._setProblem('');
      }
      return;
    }
    const change = this._store.apply(event);
    if (event.type === 'account' || event.type === 'snapshot') {
      void this._loadAccounts();
      if (event.type === 'account') {
        this._jobsTotal = null;
        this._olderMayExist = true;
        this._backendsLoaded = false;
        void this.loadBackends(true);
      }
    }
    if (event.type === 'session' && event.event !== 'state') {
      this._scheduleSessions();
    }
    if (change.jobs) {
      this._emit('jobs');
    }
    if (change.sessions) {
      this._emit('sessions');
    }
    this._transitions(change.transitions);
  }

  private _scheduleSessions(): void {
    if (this._sessionTimer === null) {
      this._sessionTimer = setTimeout(() => {
        this._sessionTimer = null;
        void this._loadSessions();
      }, 500);
    }
  }

  private _transitions(transitions: IJobTransition[]): void {
    for (const transition of transitions) {
      this._jobTransition.emit(transition);
    }
  }

  private _setServer(state: ServerState, message: string): void {
    if (state !== this._serverState || message !== this._serverMessage) {
      this._serverState = state;
      this._serverMessage = message;
      this._emit('server');
    }
  }

  private _setProblem(problem: string, hint = ''): void {
    if (problem === this._runtimeProblem && hint === this._runtimeHint) {
      return;
    }
    const recovered = problem === '' && this._runtimeProblem !== '';
    this._runtimeProblem = problem;
    this._runtimeHint = hint;
    this._emit('problem');
    void (problem ? this._recovery.start() : this._recovery.stop());
    if (recovered) {
      // what failed while the runtime was away (accounts, usage, backends) loads again
      void this._loadAll();
      void this.loadBackends(true);
    }
  }

  /** While the runtime is unreachable: ask the server's monitor to try now (or reload over REST). */
  private async _retryRuntime(): Promise<void> {
    if (this._live) {
      this._stream.send({ type: 'refresh' });
    } else {
      await this._loadJobs();
    }
  }

  private _emit(part: string): void {
    this._changed.emit(part);
  }

  private _api: Endpoints;
  private _stream: EventStream;
  private _poll: Poll;
  private _store = new JobStore();
  private _jobsTotal: number | null = null;
  private _olderMayExist = true;
  private _olderLoading = false;
  private _serverState: ServerState = 'loading';
  private _serverMessage = '';
  private _serverVersion: Qrt.IServerVersion | null = null;
  private _live = false;
  private _runtimeProblem = '';
  private _runtimeHint = '';
  private _recovery: Poll;
  private _accounts: Qrt.IAccounts | null = null;
  private _instances: Qrt.IInstance[] = [];
  private _usage: Qrt.IUsage | null = null;
  private _backends: Qrt.IBackendSummary[] = [];
  private _backendsLoaded = false;
  private _backendsProblem = '';
  private _sessionTimer: ReturnType<typeof setTimeout> | null = null;
  private _changed = new Signal<this, string>(this);
  private _jobTransition = new Signal<this, IJobTransition>(this);
}
