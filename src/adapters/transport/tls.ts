/**
 * RESP over TLS with node:tls: the same sessions as TCP, behind TLS 1.2 or
 * 1.3 only. `tls-auth-clients` decides mutual TLS: `yes` requires a client
 * certificate signed by a trusted CA, `optional` checks one only if it is
 * presented, `no` asks for none.
 */
import type { Buffer } from 'node:buffer';
import type net from 'node:net';
import tls from 'node:tls';
import { Acl } from '../../core/acl/acl.js';
import type { Server } from '../../core/server.js';
import { Session } from '../../core/session.js';
import { bufferCodec } from '../node/buffer-codec.js';

export type TlsAuthClients = 'yes' | 'no' | 'optional';

export interface TlsListenOptions {
  port: number;
  host?: string | string[];
  backlog?: number;
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  /** Trusted CAs for client certificates (PEM; one bundle or several). */
  ca?: (string | Buffer)[];
  authClients?: TlsAuthClients;
  /** Allowed versions as redis.conf writes them ("TLSv1.2 TLSv1.3"); older ones are never allowed. */
  protocols?: string;
  ciphers?: string;
  ciphersuites?: string;
  /** 'CN': a verified client certificate's common name logs the connection in as that ACL user. */
  certUser?: 'off' | 'CN';
  /** Tells an HTTP request from RESP by the first bytes read (WebSocket over TLS: wss://). */
  isHttp?: (first: Uint8Array) => boolean;
  /** Takes over a connection that starts with an HTTP request. */
  onHttp?: (socket: net.Socket, first: Uint8Array) => void;
}

export interface TlsEndpoint {
  readonly port: number;
  readonly addresses: { address: string; port: number }[];
  close(): Promise<void>;
}

const HIGH_WATER = 4 * 1024 * 1024;

type Version = 'TLSv1.2' | 'TLSv1.3';

/** The min and max versions allowed by a tls-protocols value (TLS 1.2 and 1.3 by default). */
export function versionRange(protocols: string | undefined): { minVersion: Version; maxVersion: Version } {
  const words = (protocols ?? '').split(/\s+/).filter((w) => w !== '').map((w) => w.toLowerCase());
  const has12 = words.length === 0 || words.includes('tlsv1.2');
  const has13 = words.length === 0 || words.includes('tlsv1.3');
  if (!has12 && !has13) throw new Error(`Cannot start TLS: tls-protocols '${protocols}' allows neither TLSv1.2 nor TLSv1.3`);
  return { minVersion: has12 ? 'TLSv1.2' : 'TLSv1.3', maxVersion: has13 ? 'TLSv1.3' : 'TLSv1.2' };
}

export async function listenTls(server: Server, options: TlsListenOptions): Promise<TlsEndpoint> {
  const hosts = Array.isArray(options.host) ? options.host : [options.host ?? '127.0.0.1'];
  const auth = options.authClients ?? 'yes';
  const sockets = new Set<net.Socket>();
  const listeners: tls.Server[] = [];
  let port = options.port;
  const secure: tls.TlsOptions = {
    cert: options.cert,
    key: options.key,
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    ...(options.ca && options.ca.length > 0 ? { ca: options.ca } : {}),
    ...versionRange(options.protocols),
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    requestCert: auth !== 'no',
    rejectUnauthorized: auth === 'yes',
  };
  if (options.ciphersuites) secure.ciphers = [secure.ciphers, options.ciphersuites].filter(Boolean).join(':');

  for (const host of hosts) {
    const srv = tls.createServer(secure);
    srv.on('tlsClientError', () => {});
    srv.on('secureConnection', (socket: tls.TLSSocket) => {
      // optional: a presented certificate must still be valid.
      if (auth === 'optional' && !socket.authorized && socket.getPeerCertificate()?.raw !== undefined) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => {});
      socket.once('close', () => sockets.delete(socket));
      socket.once('data', (first: Buffer) => {
        if (options.isHttp?.(first) === true && options.onHttp !== undefined) {
          socket.pause();
          options.onHttp(socket, first);
          return;
        }
        const session = startSession(socket);
        socket.on('data', (chunk: Buffer) => session.receive(chunk));
        socket.on('close', () => session.closed_());
        session.receive(first);
      });
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ port, host, backlog: options.backlog ?? 511 }, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    port = (srv.address() as net.AddressInfo).port;
    listeners.push(srv);
  }

  /** A RESP session on a secure connection, logged in by its certificate where configured. */
  function startSession(socket: tls.TLSSocket): Session {
      const session = new Session(
        server,
        {
          write(bytes) {
            if (socket.destroyed) return;
            const ok = socket.write(bytes);
            if (!ok && socket.writableLength > HIGH_WATER) {
              socket.pause();
              socket.once('drain', () => socket.resume());
            }
          },
          close() {
            socket.end();
          },
          abort() {
            socket.destroy();
          },
          pending: () => socket.writableLength,
        },
        {
          addr: `${socket.remoteAddress}:${socket.remotePort}`,
          laddr: `${socket.localAddress}:${socket.localPort}`,
          kind: 'tls',
        },
        bufferCodec,
      );
      if (options.certUser === 'CN' && socket.authorized) {
        const cn = socket.getPeerCertificate()?.subject?.CN;
        if (typeof cn === 'string') Acl.of(server).loginVerified(session.client, cn);
      }
      return session;
  }

  return {
    port,
    addresses: listeners.map((l) => {
      const a = l.address() as net.AddressInfo;
      return { address: a.address, port: a.port };
    }),
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
    },
  };
}
