import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

/** Wire types of the qrt-lab server API (docs/server-api.md). */
export namespace Qrt {
  export interface IAccount {
    name: string;
    channel: string;
    url: string;
    instance: string | null;
    is_default: boolean;
    source: 'saved' | 'environment' | 'local';
  }

  export interface IActiveAccount {
    name: string;
    label: string;
    channel: string;
    instance: string | null;
    local: boolean;
  }

  export interface IAccounts {
    accounts: IAccount[];
    active: IActiveAccount | null;
  }

  export interface IInstance {
    crn: string;
    name: string;
    plan: string;
    active: boolean;
  }

  export interface IUsage {
    plan?: string | null;
    period?: unknown;
    consumed_seconds?: number | null;
    limit_seconds?: number | null;
    remaining_seconds?: number | null;
    limit_reached?: boolean;
  }

  export interface IBackendSummary {
    name: string;
    qubits: number;
    status: string;
    status_reason?: string | null;
    queue_length: number | null;
    processor_type: string | null;
    is_simulator: boolean;
    two_q_error_median: number | null;
    two_q_error_best?: number | null;
    two_q_error_layered?: number | null;
    sx_error_median?: number | null;
    readout_error_median: number | null;
    clops: number | null;
  }

  export interface IMetric {
    label: string;
    unit: string;
    values: (number | null)[];
  }

  export interface IBackendDetail {
    name: string;
    configuration: {
      num_qubits: number;
      processor_type?: unknown;
      basis_gates?: string[];
      version?: string;
      clops?: number | null;
      [key: string]: unknown;
    };
    calibration: {
      last_update: string | null;
      age_seconds: number | null;
      qubit_metrics: { [key: string]: IMetric };
      edges: [number, number][];
      edge_metrics: { [key: string]: IMetric };
      faulty_qubits: number[];
      faulty_edges: [number, number][];
      medians?: { [key: string]: number | null };
    };
    coupling_map: { edges: [number, number][]; x: number[]; y: number[] };
  }

  export interface IFigure {
    data: unknown[];
    layout: { [key: string]: unknown };
  }

  export interface IBackendFigure {
    name: string;
    qubit: string;
    edge: string;
    figure: IFigure;
    /** Every metric's colours as `Plotly.restyle` input (asked for with `styles`). */
    styles?: IMetricStyles;
  }

  /** What a metric switch changes in a drawn coupling map (`GET backends/{name}/figure?styles=1`). */
  export interface IMetricStyles {
    qubit_trace: number;
    /** Per qubit metric: values, the colour scale (better colour at the better end), title. */
    qubit: {
      [key: string]: { color: (number | null)[]; colorscale: [number, string][]; title: string };
    };
    edge_traces: number[];
    edge: {
      [key: string]: { x: (number | null)[][]; y: (number | null)[][]; name: string[] };
    };
  }

  export interface IResultFigure {
    id: string;
    kind: 'sampler' | 'estimator';
    pub: number;
    pubs: number;
    register: string;
    registers: string[];
    /** The PUB shape (parameter axes); sampler: the plotted binding, estimator: x and `at`. */
    shape?: number[];
    index?: number[] | null;
    shots?: number;
    x?: number;
    at?: (number | ':')[];
    /** Estimator: the PUB's parameter names, and the one whose values run along x (or null). */
    parameters?: string[];
    /** Estimator: what changes along each axis (parameter names, "observables" or ""). */
    axes?: string[];
    param?: string | null;
    figure: IFigure;
  }

  /** Query of `GET jobs/{id}/figure` (docs/server-api.md). */
  export interface IFigureQuery {
    pub?: number;
    register?: string;
    topK?: number;
    sort?: string;
    axis?: number;
    labels?: 'raw' | 'ket';
    /** Sampler: one binding (an index per axis of the shape); null or absent: all summed. */
    index?: number[] | null;
    /** Estimator: the axis along x, and per axis a fixed index or null (one line each). */
    x?: number | null;
    at?: (number | null)[] | null;
    /** Estimator: the parameter along x, by name; empty: the first one varying along x. */
    param?: string;
  }

  export type JobStatus = 'Queued' | 'Running' | 'Completed' | 'Failed' | 'Cancelled';

  export interface IExplanation {
    code: number | string;
    title: string;
    explanation: string;
    hint: string;
    url?: string | null;
  }

  export interface IJobSummary {
    id: string;
    status: JobStatus;
    final: boolean;
    backend: string | null;
    program: string | null;
    created: string | null;
    session_id: string | null;
    tags: string[];
    usage_seconds?: number | null;
    reason?: string | null;
    reason_code?: number | null;
    explanation?: IExplanation | null;
  }

  export interface IJobDetail extends IJobSummary {
    timestamps?: { [key: string]: string | null };
    usage?: unknown;
    metrics?: unknown;
    logs?: string | null;
    cost?: unknown;
  }

  export interface IResultSummary {
    id: string;
    status: JobStatus;
    pubs?: {
      index: number;
      shape: number[];
      kind: string;
      registers?: { [name: string]: { num_bits: number; shots: number; distinct: number } };
      arrays?: { [name: string]: { shape: number[]; values: unknown } };
    }[];
    error_text?: string;
  }

  export interface ISession {
    id: string;
    backend?: string | null;
    backend_name?: string | null;
    job_count?: number;
    open_jobs?: number;
    last_job_created?: string | null;
    mode: string | null;
    state: string | null;
    accepting_jobs: boolean | null;
    /** Quantum seconds used so far (the session's `elapsed_time`). */
    elapsed_time?: number | null;
  }

  export interface ISessionDetail extends ISession {
    max_ttl?: number | null;
    time_remaining_seconds?: number | null;
    started_at?: string | null;
    closed_at?: string | null;
    jobs?: IJobSummary[];
  }

  export interface IServerVersion {
    version: string;
    python: string;
  }

  /** A message of the `events` websocket. */
  export type Event =
    | {
        type: 'snapshot';
        account?: unknown;
        available?: boolean;
        jobs: IJobSummary[];
        sessions: ISession[];
      }
    | {
        type: 'job';
        event: 'created' | 'status' | 'updated' | 'result_ready';
        job: IJobSummary;
        previous?: IJobSummary | Partial<IJobSummary> | null;
      }
    | { type: 'job'; event: 'deleted'; job_id: string }
    | {
        type: 'session';
        event: 'state' | 'changed' | 'close' | 'cancel';
        id: string;
        session?: Partial<ISession>;
      }
    | {
        type: 'monitor';
        state: 'available' | 'unavailable';
        message?: string;
        code?: string;
        hint?: string;
      }
    | { type: 'account'; account?: unknown };
}

/** What the server-status card shows. */
export type ServerState = 'loading' | 'ok' | 'mismatch' | 'not-enabled' | 'unavailable';

/** A job changed status (for notifications and the status bar). */
export interface IJobTransition {
  job: Qrt.IJobSummary;
  previous: Qrt.JobStatus | null;
}

/** The one owner of all qrt-lab server state and traffic in the page. */
export interface IRuntimeModel {
  readonly serverState: ServerState;
  readonly serverMessage: string;
  readonly serverVersion: Qrt.IServerVersion | null;
  readonly frontendVersion: string;
  /** Whether the events websocket is connected (otherwise the poll refreshes). */
  readonly live: boolean;
  /** Why the runtime is unreachable, or '' when it answers. */
  readonly runtimeProblem: string;
  /** What to do about {@link runtimeProblem} (from the server), or ''. */
  readonly runtimeHint?: string;
  readonly accounts: Qrt.IAccounts | null;
  readonly instances: Qrt.IInstance[];
  readonly usage: Qrt.IUsage | null;
  readonly backends: Qrt.IBackendSummary[];
  /** Jobs, newest first. */
  readonly jobs: readonly Qrt.IJobSummary[];
  /** How many jobs the account has (the runtime's count), when known. */
  readonly jobsTotal?: number | null;
  /** Whether older jobs than {@link jobs} may exist (the list can load another page). */
  readonly hasOlderJobs?: boolean;
  /** Load the next page of older jobs (one request at a time; a no-op at the end). */
  loadOlderJobs?(): Promise<void>;
  readonly sessions: Qrt.ISession[];
  /** Emitted after any state above changes; the argument names the part. */
  readonly changed: ISignal<IRuntimeModel, string>;
  /** Emitted when a job reaches a new status. */
  readonly jobTransition: ISignal<IRuntimeModel, IJobTransition>;
  /** Seconds between fallback polls. */
  interval: number;
  job(id: string): Qrt.IJobSummary | undefined;
  refresh(): Promise<void>;
  loadBackends(force?: boolean): Promise<void>;
  addAccount(body: {
    name: string;
    channel: string;
    token: string;
    instance?: string;
    set_as_default?: boolean;
  }): Promise<void>;
  deleteAccount(name: string): Promise<void>;
  activate(name: string, instance?: string): Promise<void>;
  backendDetail(name: string): Promise<Qrt.IBackendDetail>;
  backendFigure(
    name: string,
    qubit: string,
    edge: string,
    styles?: boolean
  ): Promise<Qrt.IBackendFigure>;
  calibrationCsvUrl(name: string): string;
  jobDetail(id: string): Promise<Qrt.IJobDetail>;
  jobResult(id: string): Promise<Qrt.IResultSummary>;
  jobFigure(id: string, options: Qrt.IFigureQuery): Promise<Qrt.IResultFigure>;
  cancelJob(id: string): Promise<void>;
  /** Delete a finished job on the platform (cannot be undone) and drop it from the list. */
  deleteJob(id: string): Promise<void>;
  sessionDetail(id: string): Promise<Qrt.ISessionDetail>;
  closeSession(id: string, cancel?: boolean): Promise<void>;
}

/** The token of the runtime model. */
export const IRuntimeModel = new Token<IRuntimeModel>(
  'qrt-lab:IRuntimeModel',
  'The Qiskit Runtime state (account, backends, jobs, sessions) of the page.'
);
