/**
 * RESP over WebSocket for Node (and Bun through node:net/node:http), with the
 * `ws` package: binary messages carry RESP bytes both ways, fed to the same
 * Session as a TCP connection, so every feature (pub/sub, RESP3 push,
 * MULTI, blocking commands) works unchanged. Upgrades arrive either on the
 * RESP port (the TCP adapter hands over connections that start with an HTTP
 * request line) or on a port of their own.
 * Runs in Node and Bun. Never imported by browser entry points.
 */
import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Server } from '../../core/server.js';
import { Session } from '../../core/session.js';
import { bufferCodec } from '../node/buffer-codec.js';
import {
  CLOSE_TOO_BIG, DEFAULT_MAX_MESSAGE_SIZE, TOO_BIG_REASON, originAllowed, type WebSocketServerOptions,
} from './websocket-policy.js';

export type { WebSocketServerOptions } from './websocket-policy.js';

/** The largest HTTP request head accepted on the RESP port. */
const MAX_HEAD = 16 * 1024;
/** Output held for a slow WebSocket reader before we stop reading from it. */
const HIGH_WATER = 4 * 1024 * 1024;

export interface NodeWebSocketServer {
  /** Takes over a TCP connection whose first bytes (`first`) are an HTTP request. */
  adopt(socket: net.Socket, first: Uint8Array): void;
  /** Also accepts upgrades on a port of its own; resolves with the port bound. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

interface UpgradeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export function createWebSocketServer(server: Server, options: WebSocketServerOptions = {}): NodeWebSocketServer {
  const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  // ws enforces maxPayload itself (closing with 1009); we only need a clear reason on top.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageSize, perMessageDeflate: false });
  const sockets = new Set<net.Socket>();
  const httpServers: http.Server[] = [];

  const attach = (ws: WebSocket, socket: net.Socket) => {
    const session = new Session(
      server,
      {
        write(bytes) {
          if (ws.readyState !== ws.OPEN) return;
          ws.send(bytes, { binary: true });
          if (ws.bufferedAmount > HIGH_WATER) {
            socket.pause();
            const resume = () => (ws.bufferedAmount > HIGH_WATER ? setTimeout(resume, 5) : socket.resume());
            setTimeout(resume, 5);
          }
        },
        close() {
          ws.close(1000);
        },
        pending: () => ws.bufferedAmount,
      },
      {
        addr: `${socket.remoteAddress}:${socket.remotePort}`,
        laddr: `${socket.localAddress}:${socket.localPort}`,
        kind: 'ws',
      },
      bufferCodec,
    );
    // Text frames are read as their UTF-8 bytes, like binary ones.
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      if (Array.isArray(data)) for (const d of data) session.receive(d);
      else session.receive(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
    });
    ws.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') ws.close(CLOSE_TOO_BIG, TOO_BIG_REASON);
    });
    ws.on('close', () => session.closed_());
  };

  const upgrade = (req: UpgradeRequest, socket: net.Socket, head: Buffer) => {
    if (!originAllowed(req.headers['origin'], options.allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nOrigin not allowed\n');
      return;
    }
    if ((req.headers['upgrade'] ?? '').toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 426 Upgrade Required\r\nConnection: close\r\nUpgrade: websocket\r\nContent-Type: text/plain\r\n\r\nThis port speaks RESP and RESP over WebSocket\n');
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    wss.handleUpgrade(req as unknown as http.IncomingMessage, socket, head, (ws) => attach(ws, socket));
  };

  return {
    adopt(socket, first) {
      let head = Buffer.from(first.buffer, first.byteOffset, first.length);
      const tryParse = () => {
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_HEAD) socket.destroy();
          return;
        }
        socket.off('data', onData);
        socket.pause();
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const [method = '', url = '/'] = lines[0]!.split(' ');
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        upgrade({ method, url, headers }, socket, head.subarray(end + 4));
      };
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        tryParse();
      };
      socket.on('data', onData);
      socket.on('error', () => {});
      tryParse();
      socket.resume();
    },
    async listen(port, host = '127.0.0.1') {
      const srv = http.createServer((_req, res) => {
        res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
        res.end('This port speaks RESP over WebSocket\n');
      });
      srv.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        upgrade({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers as Record<string, string> }, socket, head);
      });
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, () => resolve());
      });
      httpServers.push(srv);
      return (srv.address() as net.AddressInfo).port;
    },
    async close() {
      for (const s of httpServers) s.close();
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
