import { SidePanel, ToolbarButton, refreshIcon } from '@jupyterlab/ui-components';
import { AccordionPanel, Widget } from '@lumino/widgets';

import { runtimeIcon } from '../icon';
import { AccountSection } from './accountSection';
import { BackendsSection } from './backendsSection';
import { IViewContext } from './common';
import { JobsSection } from './jobsSection';
import { ServerStatusView } from './serverStatus';
import { SessionsSection } from './sessionsSection';

/** The id of the sidebar (also the layout restorer's key). */
export const SIDEBAR_ID = 'qrt-lab-sidebar';

/** The "Qiskit Runtime" left sidebar: one accordion section per panel. */
export class RuntimeSidebar extends SidePanel {
  constructor(ctx: IViewContext) {
    super();
    this.id = SIDEBAR_ID;
    this.addClass('qrt-Sidebar');
    this.title.icon = runtimeIcon;
    this.title.caption = ctx.trans.__('Qiskit Runtime');
    const header = new Widget({ node: document.createElement('header') });
    header.addClass('qrt-Sidebar-header');
    const heading = document.createElement('h2');
    heading.textContent = ctx.trans.__('Qiskit Runtime');
    header.node.append(heading);
    this.header.addWidget(header);
    this.status = new ServerStatusView(ctx);
    this.header.addWidget(this.status);
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: ctx.trans.__('Refresh account, backends, jobs and sessions'),
        onClick: () => void ctx.model.refresh()
      })
    );
    this.account = new AccountSection(ctx);
    this.backends = new BackendsSection(ctx);
    this.jobs = new JobsSection(ctx);
    this.sessions = new SessionsSection(ctx);
    for (const section of [this.account, this.backends, this.jobs, this.sessions]) {
      this.addWidget(section);
    }
  }

  /** Expand one section (and keep the others as they are). */
  expand(section: Widget): void {
    const index = this.widgets.indexOf(section);
    if (index >= 0 && !section.isVisible) {
      (this.content as AccordionPanel).expand(index);
    }
  }

  readonly status: ServerStatusView;
  readonly account: AccountSection;
  readonly backends: BackendsSection;
  readonly jobs: JobsSection;
  readonly sessions: SessionsSection;
}
