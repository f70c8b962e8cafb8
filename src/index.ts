import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, InputDialog, MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { ISignal } from '@lumino/signaling';
import { ReadonlyJSONValue } from '@lumino/coreutils';

import { runtimeIcon } from './icon';
import insertCellPlugin from './insertCell';
import { RuntimeModel } from './model/runtimeModel';
import { CommandIDs, IViewContext, copyText } from './sidebar/common';
import { jobCode } from './sidebar/jobActions';
import { RuntimeSidebar } from './sidebar/sidebar';
import { loadPlotly } from './plotly';
import { createStatusItem } from './statusbar';
import { IRuntimeModel } from './tokens';
import { FRONTEND_VERSION } from './version';
import { createBackendView } from './views/backendDetail';
import { createJobView } from './views/jobDetail';

export { IRuntimeModel } from './tokens';

/** What "insert in notebook" needs of a notebook panel (no dependency on the notebook package). */
interface INotebookLike {
  id: string;
  isDisposed: boolean;
  content?: {
    activeCell?: {
      model: { sharedModel: { getSource(): string; setSource(s: string): void } };
    } | null;
  };
}

/** The model plugin's id is also the id of the settings in schema/plugin.json. */
const SETTINGS_ID = 'qrt-lab:plugin';

/** Settings every plugin reads (schema/plugin.json). */
interface IPreferences {
  pollInterval: number;
  notifications: boolean;
  histogramTopK: number;
  defaultQubitMetric: string;
  defaultEdgeMetric: 'error' | 'length';
}

const DEFAULTS: IPreferences = {
  pollInterval: 30,
  notifications: true,
  histogramTopK: 16,
  defaultQubitMetric: 'T1',
  defaultEdgeMetric: 'error'
};

/** Current settings, kept up to date by the model plugin. */
const preferences: IPreferences = { ...DEFAULTS };

function watchSettings(
  registry: ISettingRegistry | null,
  apply: (prefs: IPreferences) => void
): void {
  apply(preferences);
  if (!registry) {
    return;
  }
  const read = (settings: ISettingRegistry.ISettings): void => {
    for (const key of Object.keys(DEFAULTS) as (keyof IPreferences)[]) {
      (preferences as unknown as { [key: string]: unknown })[key] = settings.get(key).composite;
    }
    apply(preferences);
  };
  registry
    .load(SETTINGS_ID)
    .then(settings => {
      read(settings);
      settings.changed.connect(read);
    })
    .catch(reason => console.warn('qrt-lab: settings not loaded, using defaults.', reason));
}

/** Owns all server state and traffic: provides {@link IRuntimeModel}. */
const modelPlugin: JupyterFrontEndPlugin<IRuntimeModel> = {
  id: SETTINGS_ID,
  description: 'The Qiskit Runtime model: account, backends, jobs and sessions of the page.',
  autoStart: true,
  provides: IRuntimeModel,
  optional: [ISettingRegistry],
  activate: (_: JupyterFrontEnd, registry: ISettingRegistry | null): IRuntimeModel => {
    const model = new RuntimeModel({
      frontendVersion: FRONTEND_VERSION,
      interval: DEFAULTS.pollInterval
    });
    watchSettings(registry, prefs => {
      model.interval = prefs.pollInterval;
    });
    model.start();
    return model;
  }
};

function context(app: JupyterFrontEnd, model: IRuntimeModel, translator: ITranslator | null) {
  const trans = (translator ?? nullTranslator).load('qrt_lab');
  return { model, trans, commands: app.commands } as IViewContext;
}

/** The "Qiskit Runtime" sidebar and its main-area views. */
const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'qrt-lab:sidebar',
  description: 'The Qiskit Runtime sidebar: account, backends, jobs, sessions.',
  autoStart: true,
  requires: [IRuntimeModel],
  optional: [ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: IRuntimeModel,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): void => {
    const ctx = context(app, model, translator);
    const { trans } = ctx;
    const sidebar = new RuntimeSidebar(ctx);
    app.shell.add(sidebar, 'left', { rank: 850 });
    restorer?.add(sidebar, sidebar.id);
    const views = new Map<string, MainAreaWidget>();
    const show = (id: string, create: () => MainAreaWidget): void => {
      let widget = views.get(id);
      if (!widget || widget.isDisposed) {
        widget = create();
        widget.title.icon = runtimeIcon;
        views.set(id, widget);
        app.shell.add(widget, 'main');
      }
      app.shell.activateById(widget.id);
    };

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Open the Qiskit Runtime sidebar'),
      icon: runtimeIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    app.commands.addCommand(CommandIDs.openJobs, {
      label: trans.__('Show Qiskit Runtime jobs'),
      execute: () => {
        app.shell.activateById(sidebar.id);
        sidebar.expand(sidebar.jobs);
      }
    });
    app.commands.addCommand(CommandIDs.addAccount, {
      label: trans.__('Add a Qiskit Runtime account'),
      execute: () => {
        app.shell.activateById(sidebar.id);
        sidebar.expand(sidebar.account);
        sidebar.account.showForm();
      }
    });
    app.commands.addCommand(CommandIDs.openBackend, {
      label: args => trans.__('Open backend %1', String(args.name ?? '')),
      execute: args => {
        const name = String(args.name);
        show(`backend:${name}`, () =>
          createBackendView(ctx, name, {
            qubitMetric: preferences.defaultQubitMetric,
            edgeMetric: preferences.defaultEdgeMetric
          })
        );
      }
    });
    app.commands.addCommand(CommandIDs.openJob, {
      label: args => trans.__('Open job %1', String(args.id ?? '')),
      execute: args => {
        const id = String(args.id);
        show(`job:${id}`, () => createJobView(ctx, id, { topK: preferences.histogramTopK }));
      }
    });
    // the notebook the user was last in: "insert" from a job view goes there
    let lastNotebook: INotebookLike | null = null;
    const shell = app.shell as unknown as {
      currentChanged?: ISignal<unknown, { newValue: unknown }>;
    };
    shell.currentChanged?.connect((_, change) => {
      const widget = change.newValue as INotebookLike | null;
      if (widget?.content && 'activeCell' in widget.content) {
        lastNotebook = widget;
      }
    });
    app.commands.addCommand(CommandIDs.insertJob, {
      label: trans.__('Insert the job in the active notebook'),
      execute: async args => {
        const id = String(args.id);
        const code = jobCode(model.accounts, id);
        const notebook = lastNotebook && !lastNotebook.isDisposed ? lastNotebook : null;
        if (!notebook?.content?.activeCell) {
          await copyText(code);
          Notification.info(trans.__('No open notebook; the code is on the clipboard.'), {
            autoClose: 4000
          });
          return;
        }
        app.shell.activateById(notebook.id);
        // an empty active cell takes the code; otherwise a new cell below it does
        if (notebook.content.activeCell.model.sharedModel.getSource().trim() !== '') {
          await app.commands.execute('notebook:insert-cell-below');
        }
        notebook.content.activeCell?.model.sharedModel.setSource(code);
      }
    });
  }
};

/** Queued and running jobs in the status bar. */
const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'qrt-lab:status-bar',
  description: 'Queued and running Qiskit Runtime jobs in the status bar.',
  autoStart: true,
  requires: [IRuntimeModel],
  optional: [IStatusBar, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: IRuntimeModel,
    statusBar: IStatusBar | null,
    translator: ITranslator | null
  ): void => {
    if (!statusBar) {
      return;
    }
    statusBar.registerStatusItem('qrt-lab:jobs', {
      item: createStatusItem(context(app, model, translator)),
      align: 'left',
      rank: 900
    });
  }
};

/**
 * One toast per session or batch for its completed jobs: a loop of jobs in a session would
 * otherwise stack a toast per job over the notebook. Failures and cancellations keep their own.
 */
class SessionToasts {
  completed(
    sessionId: string,
    options: Notification.IOptions<ReadonlyJSONValue>,
    message: (count: number) => string
  ): void {
    const last = this._toasts.get(sessionId);
    const now = Date.now();
    const recent = last && now - last.at < SessionToasts.WINDOW_MS;
    const count = recent ? last.count + 1 : 1;
    if (recent) {
      // replaced, not updated: a toast updated in the moment it appears keeps its first words
      Notification.dismiss(last.id);
    }
    const id = Notification.success(message(count), options);
    this._toasts.set(sessionId, { id, count, at: now });
  }

  /** Completions further apart than this start a new toast. */
  static readonly WINDOW_MS = 60_000;
  private _toasts = new Map<string, { id: string; count: number; at: number }>();
}

const sessionToasts = new SessionToasts();

/** A notification when a job finishes or fails (the `notifications` setting turns them off). */
const notificationsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'qrt-lab:notifications',
  description: 'Notifications when Qiskit Runtime jobs finish.',
  autoStart: true,
  requires: [IRuntimeModel],
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, model: IRuntimeModel, translator: ITranslator | null) => {
    const { trans } = context(app, model, translator);
    model.jobTransition.connect((_, { job }) => {
      if (!preferences.notifications || !job.final) {
        return;
      }
      const actions = [
        {
          // only a completed job has a result to open; the others open the job's view
          label: job.status === 'Completed' ? trans.__('Open result') : trans.__('Open job'),
          callback: () => void app.commands.execute(CommandIDs.openJob, { id: job.id })
        },
        { label: trans.__('Copy job ID'), callback: () => void copyText(job.id) }
      ];
      const where = job.backend ? ` (${job.backend})` : '';
      const options = { autoClose: 8000, actions };
      if (job.status === 'Completed' && job.session_id) {
        sessionToasts.completed(job.session_id, options, count => {
          const mode = model.sessions.find(s => s.id === job.session_id)?.mode;
          const kind = mode === 'batch' ? trans.__('batch') : trans.__('session');
          return count === 1
            ? trans.__('Job %1 completed%2.', job.id, where)
            : trans.__(
                '%1 jobs of %2 %3 completed, the last %4%5.',
                count,
                kind,
                job.session_id,
                job.id,
                where
              );
        });
      } else if (job.status === 'Completed') {
        Notification.success(trans.__('Job %1 completed%2.', job.id, where), options);
      } else if (job.status === 'Failed') {
        const reason = job.explanation?.title ?? job.reason ?? '';
        Notification.error(trans.__('Job %1 failed%2. %3', job.id, where, reason), options);
      } else {
        Notification.warning(trans.__('Job %1 was cancelled%2.', job.id, where), options);
      }
    });
  }
};

/** Palette commands in the "Qiskit Runtime" category. */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'qrt-lab:commands',
  description: 'Qiskit Runtime commands in the palette.',
  autoStart: true,
  requires: [IRuntimeModel],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: IRuntimeModel,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const { trans } = context(app, model, translator);
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh Qiskit Runtime jobs, sessions and backends'),
      execute: () => model.refresh()
    });
    app.commands.addCommand(CommandIDs.openJobById, {
      label: trans.__('Open a Qiskit Runtime job by ID…'),
      execute: async () => {
        const answer = await InputDialog.getText({
          title: trans.__('Open a job'),
          label: trans.__('Job ID'),
          placeholder: 'd1abc…'
        });
        const id = answer.value?.trim();
        if (answer.button.accept && id) {
          await app.commands.execute(CommandIDs.openJob, { id });
        }
      }
    });
    const category = trans.__('Qiskit Runtime');
    for (const command of [
      CommandIDs.openSidebar,
      CommandIDs.addAccount,
      CommandIDs.refresh,
      CommandIDs.openJobById,
      CommandIDs.openJobs
    ]) {
      palette?.addItem({ command, category });
    }
  }
};

/**
 * Lend the bundled plotly.js to qrt-lab's figure widgets (qrt_lab/widgets/figure.js), so pages
 * with this extension (JupyterLab, Notebook 7) need not receive plotly.js from the kernel.
 */
const widgetPlotlyPlugin: JupyterFrontEndPlugin<void> = {
  id: 'qrt-lab:widget-plotly',
  description: "Shares the extension's plotly.js with qrt-lab's figure widgets.",
  autoStart: true,
  activate: () => {
    (globalThis as { __qrtLabPlotly?: typeof loadPlotly }).__qrtLabPlotly = loadPlotly;
  }
};

export default [
  widgetPlotlyPlugin,
  modelPlugin,
  sidebarPlugin,
  statusBarPlugin,
  notificationsPlugin,
  commandsPlugin,
  insertCellPlugin
];
