import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Widget } from '@lumino/widgets';

/**
 * The DOM event a kernel widget dispatches to put code in the cell below its own (the
 * advisor's "use this" button: qrt_lab/widgets/_advice_views.py). It bubbles from the widget's
 * element and is cancelable: handling it calls `preventDefault()`, so the widget knows the code
 * went in and shows a copyable block otherwise.
 */
export const INSERT_EVENT = 'qrt-lab:insert-cell';

/** What inserting needs of a notebook panel (no dependency on the notebook package). */
interface INotebookPanelLike extends Widget {
  content: Widget & {
    widgets: ReadonlyArray<Widget>;
    activeCellIndex: number;
    model: {
      sharedModel: {
        insertCell(index: number, cell: { cell_type: 'code'; source: string }): unknown;
      };
    } | null;
  };
}

function isNotebookPanel(widget: Widget): widget is INotebookPanelLike {
  const content = (widget as unknown as Partial<INotebookPanelLike>).content;
  return !!content && Array.isArray(content.widgets) && !!content.model?.sharedModel;
}

/** The notebook and the index of the cell whose DOM holds `node`, if any. */
export function cellOf(
  app: JupyterFrontEnd,
  node: Node
): { notebook: INotebookPanelLike; index: number } | null {
  for (const widget of app.shell.widgets('main')) {
    if (!isNotebookPanel(widget) || !widget.node.contains(node)) {
      continue;
    }
    const index = widget.content.widgets.findIndex(cell => cell.node.contains(node));
    return index >= 0 ? { notebook: widget, index } : null;
  }
  return null;
}

/** Puts the code of a {@link INSERT_EVENT} in a new code cell below the widget's cell. */
const insertCellPlugin: JupyterFrontEndPlugin<void> = {
  id: 'qrt-lab:insert-cell',
  description: 'Lets qrt-lab widgets put code in the notebook cell below theirs.',
  autoStart: true,
  activate: (app: JupyterFrontEnd): void => {
    document.addEventListener(INSERT_EVENT, event => {
      const detail = (event as CustomEvent<{ code?: unknown }>).detail;
      const target = event.target;
      if (typeof detail?.code !== 'string' || !(target instanceof Node)) {
        return;
      }
      const place = cellOf(app, target);
      if (!place || !place.notebook.content.model) {
        return; // not in a notebook (e.g. an output view): the widget shows the code instead
      }
      const below = place.index + 1;
      place.notebook.content.model.sharedModel.insertCell(below, {
        cell_type: 'code',
        source: detail.code
      });
      place.notebook.content.activeCellIndex = below;
      event.preventDefault();
    });
  }
};

export default insertCellPlugin;
