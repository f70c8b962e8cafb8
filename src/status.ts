import { TranslationBundle } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';
import { Widget } from '@lumino/widgets';

import { IServerVersion, QrtApiError } from './api';
import { sameVersion } from './semver';

/** Longest wait between failed checks (ms). */
const MAX_BACKOFF = 300 * 1000;

/** What the status view is showing. */
export type ServerState = 'loading' | 'ok' | 'mismatch' | 'not-enabled' | 'unavailable';

/** Options of {@link ServerStatusView}. */
export interface IServerStatusOptions {
  frontendVersion: string;
  fetchVersion: () => Promise<IServerVersion>;
  trans: TranslationBundle;
  /** Seconds between checks. */
  interval: number;
}

/**
 * Shows the server extension's version, or what to do when it is missing or out of date.
 *
 * A failed check shows the reason instead of throwing; checks back off and stop while hidden.
 */
export class ServerStatusView extends Widget {
  constructor(options: IServerStatusOptions) {
    super();
    this._options = options;
    this.addClass('qrt-ServerStatus');
    this._message = document.createElement('p');
    this._message.className = 'qrt-ServerStatus-message';
    this._fix = document.createElement('code');
    this._fix.className = 'qrt-ServerStatus-fix';
    this._versions = document.createElement('dl');
    this._versions.className = 'qrt-ServerStatus-versions';
    this.node.append(this._message, this._fix, this._versions);
    this._render('loading', options.trans.__('Contacting the qrt-lab server extension…'));
    this._poll = new Poll({
      auto: true,
      factory: () => this.check(),
      frequency: {
        interval: options.interval * 1000,
        backoff: true,
        max: Math.max(options.interval * 1000, MAX_BACKOFF)
      },
      name: 'qrt-lab:server-status',
      standby: 'when-hidden'
    });
  }

  /** The state currently shown. */
  get state(): ServerState {
    return this._state;
  }

  /** Change the seconds between checks. */
  set interval(seconds: number) {
    const interval = seconds * 1000;
    this._poll.frequency = {
      ...this._poll.frequency,
      interval,
      max: Math.max(interval, MAX_BACKOFF)
    };
  }

  /** Check the server now and update the view. */
  async check(): Promise<void> {
    const { trans, frontendVersion } = this._options;
    try {
      const server = await this._options.fetchVersion();
      if (sameVersion(server.version, frontendVersion)) {
        this._render('ok', trans.__('Connected to the qrt-lab server extension.'), '', server);
      } else {
        this._render(
          'mismatch',
          trans.__(
            'The qrt-lab frontend (%1) and server (%2) differ. Upgrade, then restart JupyterLab:',
            frontendVersion,
            server.version
          ),
          'pip install --upgrade qrt-lab',
          server
        );
      }
    } catch (error) {
      if (error instanceof QrtApiError && error.kind === 'not-enabled') {
        this._render(
          'not-enabled',
          trans.__(
            'The qrt-lab server extension is not enabled. Enable it, then restart JupyterLab:'
          ),
          'jupyter server extension enable qrt_lab'
        );
        return;
      }
      const reason =
        error instanceof QrtApiError && error.hint
          ? `${error.message} ${error.hint}`
          : error instanceof Error
            ? error.message
            : String(error);
      this._render('unavailable', trans.__('Server unavailable: %1 Retrying…', reason));
      // Rejecting makes the Poll back off before the next try.
      throw error;
    }
  }

  dispose(): void {
    this._poll.dispose();
    super.dispose();
  }

  private _render(state: ServerState, message: string, fix = '', server?: IServerVersion): void {
    const { trans, frontendVersion } = this._options;
    this._state = state;
    this.node.dataset.state = state;
    this._message.textContent = message;
    this._fix.textContent = fix;
    this._fix.hidden = fix === '';
    // [field, label, value]: the field is a stable key, the label is translated
    const rows: [string, string, string][] = [['frontend', trans.__('Frontend'), frontendVersion]];
    if (server) {
      rows.unshift(['server', trans.__('Server'), server.version]);
      rows.push(['python', trans.__('Python'), server.python]);
    }
    this._versions.replaceChildren(
      ...rows.flatMap(([field, label, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dd.dataset.field = field;
        return [dt, dd];
      })
    );
  }

  private _options: IServerStatusOptions;
  private _state: ServerState = 'loading';
  private _message: HTMLParagraphElement;
  private _fix: HTMLElement;
  private _versions: HTMLDListElement;
  private _poll: Poll;
}
