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

const fromCharCode = String.fromCharCode;

function asBuffer(u8: Uint8Array): Latin1Buffer {
  return (Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)) as Latin1Buffer;
}

export const bufferCodec: ByteCodec = {
  toBytes(u8, start, end) {
    // Command names and tiny values: building the string in JS beats the
    // native call's fixed cost up to about four bytes (measured on Node 20).
    switch (end - start) {
      case 0:
        return '';
      case 1:
        return fromCharCode(u8[start]!);
      case 2:
        return fromCharCode(u8[start]!, u8[start + 1]!);
      case 3:
        return fromCharCode(u8[start]!, u8[start + 1]!, u8[start + 2]!);
      case 4:
        return fromCharCode(u8[start]!, u8[start + 1]!, u8[start + 2]!, u8[start + 3]!);
      default:
        return asBuffer(u8).latin1Slice(start, end);
    }
  },
  write(target, bytes, offset) {
    return offset + asBuffer(target).latin1Write(bytes, offset, bytes.length);
  },
};
