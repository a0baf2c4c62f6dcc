/**
 * The few Deno APIs the Deno adapters use, typed here so the project type
 * checks without Deno's own declarations. Runs in Deno.
 */

export interface DenoConn {
  readonly remoteAddr: { hostname: string; port: number };
  readonly localAddr: { hostname: string; port: number };
  read(buf: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  setNoDelay?(noDelay?: boolean): void;
  close(): void;
}

export interface DenoListener extends AsyncIterable<DenoConn> {
  readonly addr: { hostname: string; port: number };
  close(): void;
}

export interface DenoHttpServer {
  readonly addr: { hostname: string; port: number };
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}

export interface DenoServeInfo {
  remoteAddr: { hostname: string; port: number };
}

export interface DenoApi {
  listen(options: { hostname?: string; port: number; transport?: 'tcp' }): DenoListener;
  serve(
    options: { hostname?: string; port: number; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (req: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): DenoHttpServer;
  upgradeWebSocket(req: Request, options?: { idleTimeout?: number }): { socket: WebSocket; response: Response };
  readonly pid: number;
  readonly version: { deno: string };
  readonly build: { os: string; arch: string };
}

export function deno(): DenoApi {
  const d = (globalThis as { Deno?: DenoApi }).Deno;
  if (d === undefined) throw new Error('Cannot use the Deno adapter: this is not Deno');
  return d;
}
