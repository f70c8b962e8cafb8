import { ServerConnection } from '@jupyterlab/services';

import { Qrt } from '../tokens';
import { requestAPI } from './request';

/** Typed calls of the qrt-lab REST API (docs/server-api.md); only the model uses them. */
export class Endpoints {
  constructor(readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  version(): Promise<Qrt.IServerVersion> {
    return this._get('version');
  }

  accounts(): Promise<Qrt.IAccounts> {
    return this._get('accounts');
  }

  addAccount(body: object): Promise<Qrt.IAccounts> {
    return this._send('accounts', 'POST', body);
  }

  deleteAccount(name: string): Promise<Qrt.IAccounts> {
    return this._send(`accounts/${encodeURIComponent(name)}`, 'DELETE');
  }

  activate(name: string, instance?: string): Promise<unknown> {
    return this._send('accounts/active', 'PUT', instance ? { name, instance } : { name });
  }

  instances(): Promise<{ instances: Qrt.IInstance[] }> {
    return this._get('instances');
  }

  usage(): Promise<Qrt.IUsage> {
    return this._get('usage');
  }

  backends(): Promise<{ backends: Qrt.IBackendSummary[] }> {
    return this._get('backends');
  }

  backend(name: string): Promise<Qrt.IBackendDetail> {
    return this._get(`backends/${encodeURIComponent(name)}`);
  }

  backendFigure(
    name: string,
    qubit: string,
    edge: string,
    styles = false
  ): Promise<Qrt.IBackendFigure> {
    const query = new URLSearchParams({ qubit, edge, ...(styles ? { styles: '1' } : {}) });
    return this._get(`backends/${encodeURIComponent(name)}/figure?${query}`);
  }

  /** The newest jobs, or those created up to `createdBefore` (an ISO time): one page. */
  jobs(limit = 200, createdBefore?: string): Promise<{ jobs: Qrt.IJobSummary[]; count?: number }> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (createdBefore) {
      query.set('created_before', createdBefore);
    }
    return this._get(`jobs?${query}`);
  }

  job(id: string): Promise<Qrt.IJobDetail> {
    return this._get(`jobs/${encodeURIComponent(id)}`);
  }

  result(id: string): Promise<Qrt.IResultSummary> {
    return this._get(`jobs/${encodeURIComponent(id)}/result`);
  }

  jobFigure(id: string, query: URLSearchParams): Promise<Qrt.IResultFigure> {
    return this._get(`jobs/${encodeURIComponent(id)}/figure?${query}`);
  }

  cancel(id: string): Promise<unknown> {
    return this._send(`jobs/${encodeURIComponent(id)}/cancel`, 'POST');
  }

  /** `DELETE jobs/{id}`: the platform deletes a finished job for good. */
  deleteJob(id: string): Promise<unknown> {
    return this._send(`jobs/${encodeURIComponent(id)}`, 'DELETE');
  }

  sessions(): Promise<{ sessions: Qrt.ISession[] }> {
    return this._get('sessions');
  }

  session(id: string): Promise<Qrt.ISessionDetail> {
    return this._get(`sessions/${encodeURIComponent(id)}`);
  }

  closeSession(id: string, cancel: boolean): Promise<unknown> {
    return this._send(`sessions/${encodeURIComponent(id)}/${cancel ? 'cancel' : 'close'}`, 'POST');
  }

  private _get<T>(path: string): Promise<T> {
    return requestAPI<T>(path, {}, this.settings);
  }

  private _send<T>(path: string, method: string, body?: object): Promise<T> {
    const init: RequestInit = { method };
    if (body) {
      init.body = JSON.stringify(body);
    }
    return requestAPI<T>(path, init, this.settings);
  }
}
