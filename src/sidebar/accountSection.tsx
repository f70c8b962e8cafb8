import * as React from 'react';

import { IViewContext, ModelWidget, duration, errorText } from './common';
import { confirmed } from './confirm';
import { usageHint } from '../format';

const CHANNELS = ['ibm_quantum_platform', 'ibm_cloud'];

interface IFormProps extends IViewContext {
  onDone: () => void;
}

/** The add-account form: the server verifies the key at IAM and answers inline errors. */
function AddAccountForm(props: IFormProps): JSX.Element {
  const { model, trans } = props;
  const [name, setName] = React.useState('');
  const [channel, setChannel] = React.useState(CHANNELS[0]);
  const [token, setToken] = React.useState('');
  const [instance, setInstance] = React.useState('');
  const [url, setUrl] = React.useState('');
  const [setDefault, setSetDefault] = React.useState(true);
  const [error, setError] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await model.addAccount({
        name,
        channel,
        token,
        ...(instance ? { instance } : {}),
        ...(url ? { url } : {}),
        set_as_default: setDefault
      });
      setToken('');
      props.onDone();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="qrt-AccountForm" onSubmit={submit} aria-label={trans.__('Add an account')}>
      <label>
        {trans.__('Name')}
        <input name="name" value={name} required onChange={e => setName(e.target.value)} />
      </label>
      <label>
        {trans.__('Channel')}
        <select name="channel" value={channel} onChange={e => setChannel(e.target.value)}>
          {CHANNELS.map(c => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {trans.__('API key')}
        <input
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          required
          onChange={e => setToken(e.target.value)}
        />
      </label>
      <label>
        {trans.__('Instance (CRN or name)')}
        <input name="instance" value={instance} onChange={e => setInstance(e.target.value)} />
      </label>
      <label>
        {trans.__('Service URL (optional)')}
        <input name="url" value={url} onChange={e => setUrl(e.target.value)} />
      </label>
      <label className="qrt-AccountForm-check">
        <input
          name="set_as_default"
          type="checkbox"
          checked={setDefault}
          onChange={e => setSetDefault(e.target.checked)}
        />
        {trans.__('Set as default')}
      </label>
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="qrt-Buttons">
        <button type="submit" className="jp-mod-styled jp-mod-accept" disabled={busy}>
          {busy ? trans.__('Verifying…') : trans.__('Save account')}
        </button>
        <button type="button" className="jp-mod-styled" onClick={props.onDone}>
          {trans.__('Cancel')}
        </button>
      </div>
    </form>
  );
}

function Usage(props: IViewContext): JSX.Element | null {
  const { model, trans } = props;
  const usage = model.usage;
  if (!usage || usage.consumed_seconds === undefined || usage.consumed_seconds === null) {
    return null;
  }
  const limit = usage.limit_seconds ?? null;
  const share = limit ? Math.min(1, usage.consumed_seconds / limit) : 0;
  return (
    <div className="qrt-Usage">
      <div title={trans.__(usageHint(model.accounts?.active?.local ?? false))}>
        {limit
          ? trans.__(
              'Usage: %1 of %2 (%3 left)',
              duration(usage.consumed_seconds),
              duration(limit),
              duration(usage.remaining_seconds)
            )
          : trans.__('Usage: %1 this period', duration(usage.consumed_seconds))}
      </div>
      {limit ? (
        <progress
          className="qrt-Usage-bar"
          max={1}
          value={share}
          aria-label={trans.__('Usage consumed')}
        />
      ) : null}
    </div>
  );
}

function AccountBody(props: IViewContext & { adding: boolean; setAdding: (v: boolean) => void }) {
  const { model, trans, adding, setAdding } = props;
  const [error, setError] = React.useState('');
  const listing = model.accounts;
  const active = listing?.active ?? null;
  const act = async (fn: () => Promise<void>) => {
    setError('');
    try {
      await fn();
    } catch (reason) {
      setError(errorText(reason));
    }
  };
  return (
    <div className="qrt-Section-body qrt-Account">
      {active ? (
        <dl className="qrt-Facts">
          <dt>{trans.__('Account')}</dt>
          <dd data-field="account">{active.local ? trans.__('Local simulator') : active.label}</dd>
          {active.local ? null : (
            <>
              <dt>{trans.__('Channel')}</dt>
              <dd data-field="channel">{active.channel}</dd>
              <dt>{trans.__('Instance')}</dt>
              <dd data-field="instance">{active.instance ?? trans.__('(default)')}</dd>
            </>
          )}
        </dl>
      ) : (
        <p>{trans.__('No active account.')}</p>
      )}
      <Usage {...props} />
      {listing && listing.accounts.length ? (
        <label className="qrt-Inline">
          {trans.__('Switch account')}
          <select
            aria-label={trans.__('Switch account')}
            value={active?.local ? 'local' : (active?.name ?? '')}
            onChange={e => void act(() => model.activate(e.target.value))}
          >
            <option value="local">{trans.__('Local simulator')}</option>
            {listing.accounts
              .filter(a => a.source !== 'local')
              .map(a => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
          </select>
        </label>
      ) : null}
      {model.instances.length > 1 && active ? (
        <label className="qrt-Inline">
          {trans.__('Instance')}
          <select
            aria-label={trans.__('Switch instance')}
            value={model.instances.find(i => i.active)?.crn ?? ''}
            onChange={e => void act(() => model.activate(active.name, e.target.value))}
          >
            {model.instances.map(i => (
              <option key={i.crn} value={i.crn}>
                {i.name} ({i.plan})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {listing && listing.accounts.filter(a => a.source === 'saved').length ? (
        <details className="qrt-Accounts">
          <summary>{trans.__('Saved accounts')}</summary>
          <ul>
            {listing.accounts
              .filter(a => a.source === 'saved')
              .map(a => (
                <li key={a.name}>
                  <span>
                    {a.name} · {a.channel}
                    {a.is_default ? ` · ${trans.__('default')}` : ''}
                  </span>
                  <button
                    type="button"
                    className="jp-mod-styled qrt-Small"
                    aria-label={trans.__('Delete account %1', a.name)}
                    onClick={() => void confirmDelete(props, a.name, act)}
                  >
                    {trans.__('Delete')}
                  </button>
                </li>
              ))}
          </ul>
        </details>
      ) : null}
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      {adding ? (
        <AddAccountForm {...props} onDone={() => setAdding(false)} />
      ) : (
        <button
          type="button"
          className="jp-mod-styled qrt-AddAccount"
          onClick={() => setAdding(true)}
        >
          {trans.__('Add account…')}
        </button>
      )}
    </div>
  );
}

/** Ask before deleting a saved account (it leaves the shared account file for every tool). */
async function confirmDelete(
  ctx: IViewContext,
  name: string,
  act: (action: () => Promise<void>) => Promise<void>
): Promise<void> {
  const { trans } = ctx;
  const remove = await confirmed({
    title: trans.__('Delete account %1?', name),
    body: trans.__(
      'The account is removed from the saved-account file, also for the notebooks and scripts that use it.'
    ),
    keep: trans.__('Cancel'),
    act: trans.__('Delete')
  });
  if (remove) {
    await act(() => ctx.model.deleteAccount(name));
  }
}

/** The Account section: active account, usage, switch, add and delete. */
export class AccountSection extends ModelWidget {
  constructor(ctx: IViewContext) {
    super(ctx, ['accounts', 'usage']);
    this.id = 'qrt-lab-account';
    this.addClass('qrt-Section');
    this.title.label = ctx.trans.__('Account');
  }

  /** Show the add-account form (palette command). */
  showForm(): void {
    this._adding = true;
    this.update();
  }

  protected renderBody(): JSX.Element {
    return (
      <AccountBody
        {...this.ctx}
        adding={this._adding}
        setAdding={v => {
          this._adding = v;
          this.update();
        }}
      />
    );
  }

  private _adding = false;
}
