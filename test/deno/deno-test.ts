/** The parts of the Deno test API these tests use, typed for tsc. */
export interface DenoTestApi {
  test(name: string, fn: () => Promise<void> | void): void;
  test(options: { name: string; fn: () => Promise<void> | void; sanitizeOps?: boolean; sanitizeResources?: boolean; ignore?: boolean }): void;
  env: { get(name: string): string | undefined };
}

export const Deno = (globalThis as unknown as { Deno: DenoTestApi }).Deno;
