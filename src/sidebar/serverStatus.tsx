import * as React from 'react';

import { ModelWidget } from './common';

/** Text with `backquoted` commands shown as code. */
function withCode(text: string): JSX.Element[] {
  return text
    .split('`')
    .map((part, i) =>
      i % 2 ? <code key={i}>{part}</code> : <React.Fragment key={i}>{part}</React.Fragment>
    );
}

/**
 * The server extension's state: its version, or what to do when it is missing, out of date or
 * unreachable (the model retries with backoff and this card recovers by itself).
 */
export class ServerStatusView extends ModelWidget {
  constructor(ctx: ConstructorParameters<typeof ModelWidget>[0]) {
    super(ctx, ['server', 'live', 'problem']);
    this.addClass('qrt-ServerStatus');
    this.node.dataset.state = 'loading';
  }

  protected renderBody(): JSX.Element {
    const { model, trans } = this.ctx;
    const state = model.serverState;
    this.node.dataset.state = state;
    const server = model.serverVersion;
    let message = '';
    let fix = '';
    switch (state) {
      case 'loading':
        message = trans.__('Contacting the qrt-lab server extension…');
        break;
      case 'ok':
        message = model.live
          ? trans.__('Connected')
          : trans.__('Connected (live updates reconnecting)');
        break;
      case 'mismatch':
        message = trans.__(
          'The qrt-lab frontend (%1) and server (%2) differ. Upgrade, then restart JupyterLab:',
          model.frontendVersion,
          server?.version ?? ''
        );
        fix = 'pip install --upgrade qrt-lab';
        break;
      case 'not-enabled':
        message = trans.__(
          'The qrt-lab server extension is not enabled. Enable it, then restart JupyterLab:'
        );
        fix = 'jupyter server extension enable qrt_lab';
        break;
      default:
        message = trans.__('Server unavailable: %1 Retrying…', model.serverMessage);
    }
    const rows: [string, string, string][] = [
      ['frontend', trans.__('Frontend'), model.frontendVersion]
    ];
    if (server) {
      rows.unshift(['server', trans.__('Server'), server.version]);
      rows.push(['python', trans.__('Python'), server.python]);
    }
    return (
      <>
        <p
          className="qrt-ServerStatus-message"
          role="status"
          title={
            state === 'ok'
              ? trans.__('%1 to the qrt-lab server extension %2', message, server?.version ?? '')
              : message
          }
        >
          {message}
        </p>
        <code className="qrt-ServerStatus-fix" hidden={fix === ''}>
          {fix}
        </code>
        {state === 'ok' && model.runtimeProblem ? (
          <div className="qrt-ServerStatus-problem" role="alert">
            <p>
              <strong>{trans.__('The Qiskit Runtime cannot be reached.')}</strong>{' '}
              {withCode(
                model.runtimeHint ||
                  trans.__('Check the account and your network; the panel retries by itself.')
              )}
            </p>
            <details>
              <summary>{trans.__('Details')}</summary>
              <p className="qrt-ServerStatus-detail">{model.runtimeProblem}</p>
            </details>
            <button
              type="button"
              className="jp-mod-styled jp-mod-accept qrt-Small"
              onClick={() => void model.refresh()}
            >
              {trans.__('Retry now')}
            </button>
          </div>
        ) : null}
        <details className="qrt-ServerStatus-details">
          <summary title={trans.__('Versions of qrt-lab and Python')}>{trans.__('About')}</summary>
          <dl className="qrt-ServerStatus-versions">
            {rows.map(([field, label, value]) => (
              <React.Fragment key={field}>
                <dt>{label}</dt>
                <dd data-field={field}>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
        </details>
      </>
    );
  }
}
