import { TranslationBundle } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';

import { runtimeIcon } from './icon';
import { ServerStatusView } from './status';

/** The id of the sidebar (also the layout restorer's key). */
export const SIDEBAR_ID = 'qrt-lab-sidebar';

/**
 * The "Qiskit Runtime" left sidebar; sections (accounts, backends, jobs) stack below the status.
 */
export class QrtSidebar extends Panel {
  constructor(status: ServerStatusView, trans: TranslationBundle) {
    super();
    this.id = SIDEBAR_ID;
    this.addClass('qrt-Sidebar');
    this.title.icon = runtimeIcon;
    this.title.caption = trans.__('Qiskit Runtime');
    const header = new Widget({ node: document.createElement('header') });
    header.addClass('qrt-Sidebar-header');
    const heading = document.createElement('h2');
    heading.textContent = trans.__('Qiskit Runtime');
    header.node.append(heading);
    this.addWidget(header);
    this.addWidget(status);
    this.status = status;
  }

  /** The server status section. */
  readonly status: ServerStatusView;
}
