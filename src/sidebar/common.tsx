import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { QrtApiError } from '../api/request';
import { ageOf, duration, localTime, num, statusWord } from '../format';
import { IRuntimeModel, Qrt } from '../tokens';

/** Commands the sidebar and views call (registered by the sidebar plugin). */
export const CommandIDs = {
  openSidebar: 'qrt-lab:open-sidebar',
  openBackend: 'qrt-lab:open-backend',
  openJob: 'qrt-lab:open-job',
  openJobById: 'qrt-lab:open-job-by-id',
  insertJob: 'qrt-lab:insert-job',
  addAccount: 'qrt-lab:add-account',
  refresh: 'qrt-lab:refresh',
  openJobs: 'qrt-lab:open-jobs'
} as const;

/** What every section and view receives. */
export interface IViewContext {
  model: IRuntimeModel;
  trans: TranslationBundle;
  commands: CommandRegistry;
}

/**
 * A React widget that re-renders when the model emits one of `parts`.
 */
export abstract class ModelWidget extends ReactWidget {
  constructor(
    protected readonly ctx: IViewContext,
    private readonly _parts: string[]
  ) {
    super();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal
        signal={this.ctx.model.changed}
        shouldUpdate={(_, part: string) => this._parts.includes(part)}
      >
        {() => this.renderBody()}
      </UseSignal>
    );
  }

  protected abstract renderBody(): JSX.Element;
}

/** The message and hint of an API error, for inline display. */
export function errorText(error: unknown): string {
  if (error instanceof QrtApiError) {
    return error.hint ? `${error.message} ${error.hint}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Status text with a colour dot; the text carries the meaning, the colour only repeats it. */
export function StatusBadge(props: { status: string; trans: TranslationBundle }): JSX.Element {
  return (
    <span className="qrt-Status" data-status={props.status.toLowerCase()}>
      <span className="qrt-Status-dot" aria-hidden="true" />
      {props.trans.__(statusWord(props.status))}
    </span>
  );
}

/** "3 min ago" style age of an ISO timestamp (see `Age` for one that ticks). */
export function age(
  iso: string | null | undefined,
  trans: TranslationBundle,
  now = Date.now()
): string {
  return trans.__(ageOf(iso, now));
}

/** The age of an ISO timestamp that keeps ticking, with the local time as its tooltip. */
export function Age(props: {
  iso: string | null | undefined;
  trans: TranslationBundle;
}): JSX.Element {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), AGE_TICK_MS);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <time className="qrt-Age" dateTime={props.iso ?? undefined} title={localTime(props.iso)}>
      {age(props.iso, props.trans, now)}
    </time>
  );
}

/** How often ages re-render. */
const AGE_TICK_MS = 5000;

export { duration, num };

/** Copy text to the clipboard (a no-op when the page may not). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // clipboard permission refused: nothing else to do in a sidebar
  }
}

/** Job rows and session detail share this. */
export type JobRow = Qrt.IJobSummary;
