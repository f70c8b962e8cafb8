import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** The URL namespace of the qrt-lab server extension. */
export const API_NAMESPACE = 'qrt-lab';

/** Why a request to the qrt-lab server extension failed. */
export type QrtApiErrorKind = 'not-enabled' | 'server' | 'network';

/** The one error type raised by every qrt-lab API call. */
export class QrtApiError extends Error {
  constructor(
    message: string,
    readonly kind: QrtApiErrorKind,
    readonly status: number = 0,
    /** What the user can do next (the server's `hint`), or ''. */
    readonly hint: string = ''
  ) {
    super(message);
    this.name = 'QrtApiError';
  }
}

/** `GET /qrt-lab/api/version`. */
export interface IServerVersion {
  version: string;
  python: string;
}

interface IErrorBody {
  code: number | string;
  message: string;
  hint?: string;
}

function isErrorBody(data: unknown): data is IErrorBody {
  return (
    typeof data === 'object' &&
    data !== null &&
    'message' in data &&
    'code' in data &&
    typeof (data as IErrorBody).message === 'string'
  );
}

function parseBody(text: string): unknown {
  if (text.length === 0) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Call a qrt-lab REST endpoint; the token and XSRF header come from ServerConnection.
 *
 * @param endPoint - path below `/qrt-lab/api/`
 * @param init - fetch options (method, body)
 * @param settings - server settings (defaults to the page's)
 * @returns the decoded JSON body
 * @throws {QrtApiError} with kind `not-enabled` when the server extension is missing
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, 'api', endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new QrtApiError(
      `Jupyter server unreachable (${String(error)}); check that it is still running.`,
      'network'
    );
  }
  const data = parseBody(await response.text());
  if (response.ok) {
    return data as T;
  }
  // Our handlers always answer errors with {code, message, hint}; a bare 404 means no handler.
  if (response.status === 404 && !isErrorBody(data)) {
    throw new QrtApiError(
      'The qrt-lab server extension is not enabled. Run "jupyter server extension enable qrt_lab" and restart JupyterLab.',
      'not-enabled',
      404
    );
  }
  if (isErrorBody(data)) {
    const hint = typeof data.hint === 'string' ? data.hint : '';
    throw new QrtApiError(data.message, 'server', response.status, hint);
  }
  throw new QrtApiError(`${response.status} ${response.statusText}`, 'server', response.status);
}

/** Fetch the version of the installed qrt-lab server package. */
export function fetchServerVersion(settings?: ServerConnection.ISettings): Promise<IServerVersion> {
  return requestAPI<IServerVersion>('version', {}, settings);
}
