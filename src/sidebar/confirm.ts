import { Dialog, showDialog } from '@jupyterlab/apputils';

/** The words of a confirmation for an action that cannot be undone. */
export interface IConfirmation {
  /** The question, e.g. "Delete job …?". */
  title: string;
  /** What happens, and for whom. */
  body: string;
  /** The label of the button that leaves things as they are. */
  keep: string;
  /** The label of the button that acts. */
  act: string;
}

/**
 * Ask before an action that cannot be undone. Resolves true when the user chose to act (the
 * warning button), false when they kept things as they are or closed the dialog.
 */
export async function confirmed(words: IConfirmation): Promise<boolean> {
  const answer = await showDialog({
    title: words.title,
    body: words.body,
    buttons: [Dialog.cancelButton({ label: words.keep }), Dialog.warnButton({ label: words.act })]
  });
  return answer.button.accept;
}
