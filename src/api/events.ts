import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { Qrt } from '../tokens';
import { API_NAMESPACE } from './request';

/** The `events` websocket; the owner reconnects it (the model's poll does). */
export class EventStream {
  constructor(readonly settings: ServerConnection.ISettings) {}

  /** Each decoded message. */
  get message(): ISignal<this, Qrt.Event> {
    return this._message;
  }

  /** `true` on open, `false` on close. */
  get connection(): ISignal<this, boolean> {
    return this._connection;
  }

  get connected(): boolean {
    return this._socket?.readyState === WebSocket.OPEN;
  }

  /** Open the socket unless it is open or opening. */
  connect(): void {
    if (this._disposed || (this._socket && this._socket.readyState <= WebSocket.OPEN)) {
      return;
    }
    let url = URLExt.join(this.settings.wsUrl, API_NAMESPACE, 'api', 'events');
    if (this.settings.appendToken && this.settings.token) {
      url += `?token=${encodeURIComponent(this.settings.token)}`;
    }
    const socket = new this.settings.WebSocket(url);
    this._socket = socket;
    socket.onopen = () => this._connection.emit(true);
    socket.onclose = () => {
      if (this._socket === socket) {
        this._socket = null;
        this._connection.emit(false);
      }
    };
    socket.onmessage = (event: MessageEvent) => {
      let data: Qrt.Event;
      try {
        data = JSON.parse(String(event.data)) as Qrt.Event;
      } catch {
        return;
      }
      this._message.emit(data);
    };
  }

  /** Send a client message (`{"type": "refresh"}`). */
  send(message: object): void {
    if (this.connected) {
      this._socket?.send(JSON.stringify(message));
    }
  }

  dispose(): void {
    this._disposed = true;
    const socket = this._socket;
    this._socket = null;
    socket?.close();
    Signal.clearData(this);
  }

  private _socket: WebSocket | null = null;
  private _disposed = false;
  private _message = new Signal<this, Qrt.Event>(this);
  private _connection = new Signal<this, boolean>(this);
}
