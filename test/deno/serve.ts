/**
 * Starts a Deno ubique server (TCP and WebSocket) for tests in other
 * runtimes; prints `{"port":..,"wsPort":..}` and runs until stdin closes.
 */
import { listen } from '../../src/deno.js';

const srv = await listen({ port: 0, wsPort: 0 });
console.log(JSON.stringify({ port: srv.port, wsPort: srv.wsPort }));
const stdin = (globalThis as unknown as { Deno: { stdin: { readable: ReadableStream<Uint8Array> } } }).Deno.stdin.readable;
for await (const _ of stdin) {
  // Wait for the parent to go away.
}
await srv.close();
