/**
 * The client side of RESP over WebSocket, on the standard WebSocket API:
 * binary messages carry RESP bytes both ways. Runs in browsers, workers,
 * Deno, Bun and Node 22+ (on Node 20 pass `ws`'s WebSocket class).
 * This module is browser compatible.
 */
import type { ByteStream, Connector } from '../../core/client/connection.js';
import { UbiqueError } from '../../core/errors.js';

/** The constructor of a standard WebSocket (the global one, or `ws`'s). */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => WebSocket;

export interface WebSocketConnectOptions {
  /** Defaults to the global WebSocket. */
  WebSocket?: WebSocketClass;
  protocols?: string | string[];
  /** Fails a connection attempt that takes longer (ms, default 10000). */
  connectTimeout?: number;
}

export function webSocketConnector(url: string, options: WebSocketConnectOptions = {}): Connector {
  return (events) =>
    new Promise<ByteStream>((resolve, reject) => {
      const WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
      if (WS === undefined) {
        reject(new UbiqueError('NO_WEBSOCKET', 'Cannot connect over WebSocket: this runtime has no WebSocket global; pass one as the WebSocket option'));
        return;
      }
      const socket = new WS(url, options.protocols);
      socket.binaryType = 'arraybuffer';
      let open = false;
      const timer = setTimeout(() => {
        socket.close();
        reject(new UbiqueError('CONNECT_TIMEOUT', `Cannot connect to ${url}: no answer within ${options.connectTimeout ?? 10_000} ms`));
      }, options.connectTimeout ?? 10_000);
      socket.onopen = () => {
        open = true;
        clearTimeout(timer);
        resolve({
          send: (bytes) => {
            if (socket.readyState === 1) socket.send(bytes as Uint8Array<ArrayBuffer>);
          },
          close: () => socket.close(),
        });
      };
      socket.onmessage = (ev: MessageEvent) => {
        const data = ev.data as ArrayBuffer | Uint8Array | string;
        if (typeof data === 'string') events.data(new TextEncoder().encode(data));
        else events.data(data instanceof Uint8Array ? data : new Uint8Array(data));
      };
      socket.onerror = () => {};
      socket.onclose = (ev: CloseEvent) => {
        clearTimeout(timer);
        const reason = new UbiqueError('WEBSOCKET_CLOSED', `WebSocket closed with code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''}`);
        if (!open) reject(new UbiqueError('CONNECT_FAILED', `Cannot connect to ${url}: ${reason.message}`, { cause: reason }));
        else events.closed(reason);
      };
    });
}
