/**
 * Byte conversions through Node's Buffer, which slices and writes latin1
 * natively. Runs in Node, Deno and Bun (all provide node:buffer).
 */
import { Buffer } from 'node:buffer';
import type { ByteCodec } from '../../core/bytes.js';

type Latin1Buffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  latin1Write(s: string, offset: number, length?: number): number;
};

export const bufferCodec: ByteCodec = {
  toBytes(u8, start, end) {
    const b = (Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)) as Latin1Buffer;
    return b.latin1Slice(start, end);
  },
  write(target, bytes, offset) {
    const b = (Buffer.isBuffer(target) ? target : Buffer.from(target.buffer, target.byteOffset, target.byteLength)) as Latin1Buffer;
    return offset + b.latin1Write(bytes, offset, bytes.length);
  },
};
