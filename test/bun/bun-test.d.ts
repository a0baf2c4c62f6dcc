/** The parts of bun:test these tests use, typed for tsc. */
declare module 'bun:test' {
  export function test(name: string, fn: () => Promise<void> | void, timeout?: number): void;
  export function afterAll(fn: () => Promise<void> | void): void;
  export function expect(value: unknown): { toBe(expected: unknown): void; toEqual(expected: unknown): void };
}
