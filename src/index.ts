import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { fetchServerVersion } from './api';
import { runtimeIcon } from './icon';
import { QrtSidebar } from './panel';
import { ServerStatusView } from './status';
import { FRONTEND_VERSION } from './version';

const PLUGIN_ID = 'qrt-lab:plugin';
const OPEN_COMMAND = 'qrt-lab:open-sidebar';
const DEFAULT_INTERVAL = 30;

/** The qrt-lab sidebar: server status now; accounts, backends and jobs later. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The Qiskit Runtime sidebar.',
  autoStart: true,
  optional: [ILayoutRestorer, ISettingRegistry, ITranslator, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('qrt_lab');
    const status = new ServerStatusView({
      frontendVersion: FRONTEND_VERSION,
      fetchVersion: () => fetchServerVersion(),
      trans,
      interval: DEFAULT_INTERVAL
    });
    const sidebar = new QrtSidebar(status, trans);
    app.shell.add(sidebar, 'left', { rank: 850 });
    restorer?.add(sidebar, sidebar.id);

    app.commands.addCommand(OPEN_COMMAND, {
      label: trans.__('Open the Qiskit Runtime sidebar'),
      icon: runtimeIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    palette?.addItem({ command: OPEN_COMMAND, category: trans.__('Qiskit Runtime') });

    if (settingRegistry) {
      const apply = (settings: ISettingRegistry.ISettings): void => {
        status.interval = settings.get('pollInterval').composite as number;
      };
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          apply(settings);
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.warn('qrt-lab: settings not loaded, using defaults.', reason);
        });
    }
  }
};

export default plugin;
