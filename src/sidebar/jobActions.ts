import { Qrt } from '../tokens';
import { IViewContext } from './common';
import { confirmed } from './confirm';

/**
 * Ask before cancelling a job; cancel it on "Cancel job". Resolves true when it was cancelled.
 */
export async function confirmCancel(ctx: IViewContext, id: string): Promise<boolean> {
  const { trans } = ctx;
  const cancel = await confirmed({
    title: trans.__('Cancel job %1?', id),
    body: trans.__(
      'The job stops; a queued job never runs. Results of a running job are lost. This cannot be undone.'
    ),
    keep: trans.__('Keep it running'),
    act: trans.__('Cancel job')
  });
  if (!cancel) {
    return false;
  }
  await ctx.model.cancelJob(id);
  return true;
}

/**
 * Ask before deleting a finished job from the platform; delete it on "Delete". Resolves true
 * when it was deleted.
 */
export async function confirmDelete(ctx: IViewContext, id: string): Promise<boolean> {
  const { trans } = ctx;
  const remove = await confirmed({
    title: trans.__('Delete job %1?', id),
    body: trans.__(
      'The job, its inputs and its result are deleted from the service for good, also for notebooks that use its ID.'
    ),
    keep: trans.__('Keep'),
    act: trans.__('Delete')
  });
  if (!remove) {
    return false;
  }
  await ctx.model.deleteJob(id);
  return true;
}

/** Python string literal of `text` (JSON's escapes are valid Python). */
function pyString(text: string): string {
  return JSON.stringify(text);
}

/**
 * Code that fetches job `id` on its own in a fresh kernel: the import, the service of the
 * account the job came from (the active one), the job.
 */
export function jobCode(accounts: Qrt.IAccounts | null, id: string): string {
  const active = accounts?.active ?? null;
  const saved = accounts?.accounts.find(a => a.name === active?.name && a.source === 'saved');
  let service = 'QiskitRuntimeService()';
  if (active?.local) {
    service = 'QiskitRuntimeService(channel="local")';
  } else if (saved) {
    service = `QiskitRuntimeService(name=${pyString(saved.name)})`;
  } else if (active) {
    const instance = active.instance ? `, instance=${pyString(active.instance)}` : '';
    service = `QiskitRuntimeService(channel=${pyString(active.channel)}${instance})`;
  }
  return [
    'from qrt_lab.runtime import QiskitRuntimeService',
    '',
    `service = ${service}`,
    `job = service.job(${pyString(id)})`
  ].join('\n');
}
