// tfjs-backend-wasm's threaded build in Node. tfjs turns it off there (tfjs issue 3830): its loader hands
// Emscripten's thread workers their scripts as Blob URLs, which Node's worker_threads cannot open, and its
// C++ side caps the threads at half of what `os.cpus()` lists. The build itself supports Node (its pthreads
// run on worker_threads), so `nodeWasmThreading` makes it load while tfjs initialises the backend:
// - the two scripts tfjs wraps in Blobs (the thread worker and the module factory) are written to a
//   temporary folder and their paths handed out instead of Blob URLs;
// - `os.cpus()` lists twice the threads asked for, so the cap lets them through;
// then puts both back. XNNPACK splits each matrix product into row tiles, one thread per tile, and every
// output value is summed in the same order as on one thread: the numbers are the same at every thread count
// (src/cli/wasmThreads.test.ts checks a training run).
import os from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../engine/tf.ts';
import { setWasmThreading, wasmThreadCount, type WasmThreading } from '../engine/backend.ts';
import type { Command } from '../shared/options.ts';
import type { ParsedArgs } from './args.ts';
import { numberOption } from './settings.ts';

/** the module factory's source starts with this (tfjs-backend-wasm 4.x, its Node bundle) */
const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd';
/** the module-level names the factory's source uses from the Node bundle it was cut out of */
const FACTORY_PRELUDE = "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os'), commonjsGlobal = globalThis;\n";

let folder: string | null = null;

function scriptFolder(): string {
  if (folder === null) {
    const made = mkdtempSync(join(tmpdir(), 'tgnn-wasm-threads-'));
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}

async function prepare(threads: number): Promise<() => void> {
  // registers tfjs' wasm flags before one of them is set
  await import('@tensorflow/tfjs-backend-wasm');
  const dir = scriptFolder();
  const factoryPath = join(dir, 'factory.cjs');
  const texts = new WeakMap<Blob, string>();
  const OriginalBlob = globalThis.Blob;
  class RecordingBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (parts && parts.every((p): p is string => typeof p === 'string')) {
        const text = parts.join('');
        texts.set(this, text);
        // the factory goes to the thread workers as a Blob inside a message, never through createObjectURL here
        if (text.startsWith(FACTORY_PREFIX)) writeFileSync(factoryPath, FACTORY_PRELUDE + text);
      }
    }
  }
  const originalCreate = URL.createObjectURL;
  const originalCpus = os.cpus;
  let scripts = 0;
  globalThis.Blob = RecordingBlob;
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return originalCreate(blob);
    const path = join(dir, `thread-${scripts++}.cjs`);
    // the thread worker opens the factory Blob it is sent through its own URL.createObjectURL: give it the file
    writeFileSync(path, `URL.createObjectURL = () => ${JSON.stringify(factoryPath)}; URL.revokeObjectURL = () => {};\n${text}`);
    return path;
  };
  const listed = originalCpus();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => listed[i % Math.max(1, listed.length)]!);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  return () => {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreate;
    os.cpus = originalCpus;
    // Emscripten's thread workers (its pool and XNNPACK's running threads) would keep the process alive
    for (const worker of threadWorkers()) worker.unref();
  };
}

/** the worker_threads Emscripten started for the wasm backend (none before it is initialised) */
function threadWorkers(): { unref(): void }[] {
  const backend = tf.findBackend('wasm') as { wasm?: { PThread?: { unusedWorkers?: unknown[]; runningWorkers?: unknown[] } } } | null;
  const pool = backend?.wasm?.PThread;
  return [...(pool?.unusedWorkers ?? []), ...(pool?.runningWorkers ?? [])].filter(
    (w): w is { unref(): void } => typeof w === 'object' && w !== null && typeof (w as { unref?: unknown }).unref === 'function',
  );
}

/** installs Node's wasm threading with `threads` threads for the backends this process starts from now on (1: tfjs' single-threaded build) */
export function useNodeWasmThreads(threads: number): void {
  const wasmThreading: WasmThreading = { threads: Math.max(1, Math.min(8, Math.floor(threads))), prepare };
  setWasmThreading(wasmThreading);
}

/** --wasm-threads (default 1): installs Node's wasm threading for the backend this command starts */
export function useCliWasmThreads(args: ParsedArgs, command: Command): void {
  useNodeWasmThreads(numberOption(args, command, 'wasm-threads'));
}

/** the running backend's reason with wasm's thread count, for the CLI's log line */
export function withThreadCount(reason: string): string {
  const n = wasmThreadCount();
  return n === null ? reason : `${reason}, ${n === 1 ? '1 thread' : `${n} threads`}`;
}
