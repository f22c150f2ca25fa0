// The engine worker: points tfjs-backend-wasm at the .wasm files the Vite build serves (no CDN), then
// exposes one EngineSession over comlink, and a fault-injection hook for the e2e tests. Nothing else
// belongs here.
import './wasmPaths.ts';
import * as Comlink from 'comlink';
import { WorkerSession } from './workerSession.ts';
import { destroyGpuDevice } from '../engine/backend.ts';

Comlink.expose(new WorkerSession());

// fault injection for the e2e tests (e2e/supervision.e2e.ts): what a driver reset does to the GPU device
(self as unknown as { tgnnFaults: { destroyGpuDevice: () => boolean } }).tgnnFaults = { destroyGpuDevice };
