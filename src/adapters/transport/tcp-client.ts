/**
 * The client side of RESP over TCP with node:net (Node, Bun, Deno).
 * Loaded by the client only when a TCP address is given.
 */
import net from 'node:net';
import type { ByteStream, Connector } from '../../core/client/connection.js';
import { UbiqueError } from '../../core/errors.js';

export function tcpConnector(host: string, port: number): Connector {
  return (events) =>
    new Promise<ByteStream>((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      let open = false;
      socket.once('connect', () => {
        open = true;
        resolve({ send: (bytes) => void socket.write(bytes), close: () => socket.destroy() });
      });
      socket.on('data', (chunk: Uint8Array) => events.data(chunk));
      socket.on('error', (e) => {
        if (!open) reject(new UbiqueError('CONNECT_FAILED', `Cannot connect to ${host}:${port}: ${e.message}`, { cause: e }));
      });
      socket.on('close', () => {
        if (open) events.closed(new UbiqueError('TCP_CLOSED', `Connection to ${host}:${port} closed`));
      });
    });
}
