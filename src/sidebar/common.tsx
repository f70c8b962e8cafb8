import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { QrtApiError } from '../api/request';
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
  const labels: { [key: string]: string } = {
    Queued: props.trans.__('Queued'),
    Running: props.trans.__('Running'),
    Completed: props.trans.__('Completed'),
    Failed: props.trans.__('Failed'),
    Cancelled: props.trans.__('Cancelled')
  };
  return (
    <span className="qrt-Status" data-status={props.status.toLowerCase()}>
      <span className="qrt-Status-dot" aria-hidden="true" />
      {labels[props.status] ?? props.status}
    </span>
  );
}

/** "3 min ago" style age of an ISO timestamp. */
export function age(
  iso: string | null | undefined,
  trans: TranslationBundle,
  now = Date.now()
): string {
  if (!iso) {
    return '';
  }
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) {
    return '';
  }
  if (seconds < 60) {
    return trans.__('%1 s ago', seconds);
  }
  if (seconds < 3600) {
    return trans.__('%1 min ago', Math.floor(seconds / 60));
  }
  if (seconds < 86400) {
    return trans.__('%1 h ago', Math.floor(seconds / 3600));
  }
  return trans.__('%1 d ago', Math.floor(seconds / 86400));
}

/** Seconds as "1 h 2 min 3 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '—';
  }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', `${s % 60} s`].filter(Boolean);
  return parts.join(' ');
}

/** A number in compact scientific or fixed notation, '—' for missing. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  return Math.abs(value) < 0.01 && value !== 0
    ? value.toExponential(digits - 1)
    : value.toPrecision(digits);
}

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
