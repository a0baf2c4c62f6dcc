/**
 * A raw RESP client for tests: sends commands and returns each reply's exact
 * bytes (as a binary string), so tests compare what is on the wire.
 */
import net from 'node:net';

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.drain();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private drain(): void {
    while (this.waiters.length > 0) {
      const end = replyEnd(this.buf, 0);
      if (end === -1) return;
      const reply = this.buf.subarray(0, end).toString('latin1');
      this.buf = this.buf.subarray(end);
      this.waiters.shift()!.resolve(reply);
    }
  }

  /** Reads the next reply (pushes included). */
  next(timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('timed out waiting for a reply'));
      }, timeoutMs);
      const waiter = {
        resolve: (s: string) => {
          clearTimeout(t);
          resolve(s);
        },
        reject: (e: Error) => {
          clearTimeout(t);
          reject(e);
        },
      };
      this.waiters.push(waiter);
      this.drain();
    });
  }

  /** Writes bytes as they are. */
  write(raw: string | Buffer): void {
    this.socket.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
  }

  /** Sends one command as a multibulk and returns its raw reply. */
  call(...args: (string | number)[]): Promise<string> {
    this.write(encodeCommand(args.map(String)));
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves when the server closes the connection. */
  waitClosed(timeoutMs = 2000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}

export function encodeCommand(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** End offset of the complete RESP2/RESP3 reply starting at `p`, or -1. */
export function replyEnd(b: Buffer, p: number): number {
  if (p >= b.length) return -1;
  const line = b.indexOf('\r\n', p, 'latin1');
  if (line === -1) return -1;
  const type = String.fromCharCode(b[p]!);
  const head = b.subarray(p + 1, line).toString('latin1');
  const after = line + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return after;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return after;
      return b.length >= after + n + 2 ? after + n + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return after;
      if (type === '%' || type === '|') n *= 2;
      let q = after;
      for (let i = 0; i < n; i++) {
        q = replyEnd(b, q);
        if (q === -1) return -1;
      }
      // An attribute precedes the real reply.
      return type === '|' ? replyEnd(b, q) : q;
    }
    default:
      throw new Error(`unexpected reply type ${JSON.stringify(type)} in ${JSON.stringify(b.toString('latin1'))}`);
  }
}

/** Splits an aggregate reply into its elements' raw bytes (one level). */
export function splitAggregate(raw: string): { header: string; items: string[] } | null {
  const t = raw[0];
  if (!t || !'*~>%'.includes(t)) return null;
  const b = Buffer.from(raw, 'latin1');
  const line = b.indexOf('\r\n');
  let n = Number(b.subarray(1, line).toString('latin1'));
  if (n < 0) return null;
  if (t === '%') n *= 2;
  const items: string[] = [];
  let q = line + 2;
  for (let i = 0; i < n; i++) {
    const e = replyEnd(b, q);
    items.push(b.subarray(q, e).toString('latin1'));
    q = e;
  }
  return { header: raw.slice(0, line + 2), items };
}
