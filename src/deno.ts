/**
 * ubique for Deno: the embedded engine. Deno adapters (Deno.serve WebSocket,
 * Deno.listen TCP) join here as they land.
 */
export * from './index.js';
