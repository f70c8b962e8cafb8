import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CommandIDs, IViewContext } from './sidebar/common';

function counts(ctx: IViewContext): { queued: number; running: number } {
  let queued = 0;
  let running = 0;
  for (const job of ctx.model.jobs) {
    if (job.status === 'Queued') {
      queued += 1;
    } else if (job.status === 'Running') {
      running += 1;
    }
  }
  return { queued, running };
}

/** Queued and running jobs in the status bar; a click opens the Jobs panel. */
export function createStatusItem(ctx: IViewContext): ReactWidget {
  const widget = ReactWidget.create(
    <UseSignal signal={ctx.model.changed} shouldUpdate={(_, part: string) => part === 'jobs'}>
      {() => {
        const { queued, running } = counts(ctx);
        const label = ctx.trans.__('Qiskit Runtime: %1 queued, %2 in progress', queued, running);
        return (
          <button
            type="button"
            className="qrt-StatusItem"
            title={ctx.trans.__('Open the Jobs panel')}
            aria-label={label}
            onClick={() => void ctx.commands.execute(CommandIDs.openJobs)}
          >
            {ctx.trans.__('QPU jobs: %1 queued · %2 in progress', queued, running)}
          </button>
        );
      }}
    </UseSignal>
  );
  widget.id = 'qrt-lab-status-item';
  return widget;
}
