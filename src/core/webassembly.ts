/**
 * The WebAssembly API as eddy's own kernels use it (the .wat modules committed as base64 by
 * scripts/wat.mjs): @types/node 20 declares none of it.
 */

/** A WebAssembly memory: its buffer (a SharedArrayBuffer when shared) and its growth. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: Record<string, Record<string, unknown>>) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}

/** The global `WebAssembly`, typed. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The module of bytes committed as base64, compiled (once per call: callers keep it). */
export function compileBase64(base64: string): object {
  return new webAssembly.Module(Buffer.from(base64, 'base64'));
}
