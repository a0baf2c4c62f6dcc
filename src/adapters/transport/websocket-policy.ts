/**
 * What every WebSocket server adapter (Node, Deno, Bun) agrees on: which
 * origins may connect, how big a message may be, and the close codes used.
 * Runtime-free; runs anywhere.
 */

export interface WebSocketServerOptions {
  /**
   * Origins (scheme://host:port) allowed to connect; '*' allows any. Requests
   * without an Origin header (non-browser clients) are always allowed.
   * Default: any.
   */
  allowedOrigins?: string[];
  /** Largest message accepted, in bytes (default 512 MB, proto-max-bulk-len's default). */
  maxMessageSize?: number;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 512 * 1024 * 1024;

/** RFC 6455: "Message Too Big". */
export const CLOSE_TOO_BIG = 1009;
export const TOO_BIG_REASON = 'Message too big';

export function originAllowed(origin: string | null | undefined, allowed: string[] | undefined): boolean {
  if (origin === null || origin === undefined || origin === '') return true;
  if (allowed === undefined || allowed.includes('*')) return true;
  return allowed.includes(origin);
}

/** Recognises an HTTP request line (a WebSocket upgrade) at the start of a TCP stream. */
export function looksLikeHttp(first: Uint8Array): boolean {
  // "GET /..." — an inline GET command has a key, never a path followed by " HTTP/1.".
  if (first.length < 5 || first[0] !== 0x47 || first[1] !== 0x45 || first[2] !== 0x54 || first[3] !== 0x20) return false;
  const lf = first.indexOf(10);
  const line = String.fromCharCode(...first.subarray(0, lf < 0 ? Math.min(first.length, 256) : Math.min(lf, 8192)));
  return lf < 0 ? first[4] === 0x2f : / HTTP\/1\.[01]\r?$/.test(line);
}
