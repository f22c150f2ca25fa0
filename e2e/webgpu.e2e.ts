import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openSession, type Session } from './browser.ts';

interface AdapterReport {
  hasNavigatorGpu: boolean;
  adapter: null | {
    info: Record<string, unknown>;
    isFallbackAdapter: boolean | null;
    features: string[];
    maxBufferSize: number | null;
  };
  fallbackAdapterAvailable: boolean;
  error: string | null;
}

// Reports whether WebGPU is reachable in headless Chromium here; prints what it finds, never fails on a null adapter.
describe('webgpu', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
    // a page of our own origin: WebGPU needs a secure context, which http://127.0.0.1 is
    await session.page.goto(`${origin}/`, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('reports the adapter navigator.gpu.requestAdapter() gives', async () => {
    const report: AdapterReport = await session.page.evaluate(async () => {
      // WebGPU types are not in TypeScript's DOM lib; describe the few members used here
      type Adapter = {
        info?: Record<string, unknown>;
        isFallbackAdapter?: boolean;
        features: Iterable<string>;
        limits: { maxBufferSize?: number };
      };
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(o?: object): Promise<Adapter | null> } }).gpu;
      const out: AdapterReport = { hasNavigatorGpu: !!gpu, adapter: null, fallbackAdapterAvailable: false, error: null };
      if (!gpu) return out;
      try {
        const adapter = await gpu.requestAdapter();
        if (adapter) {
          const info: Record<string, unknown> = {};
          for (const k of ['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter', 'subgroupMinSize', 'subgroupMaxSize']) {
            if (adapter.info && k in adapter.info) info[k] = adapter.info[k];
          }
          out.adapter = {
            info,
            isFallbackAdapter:
              typeof adapter.info?.isFallbackAdapter === 'boolean'
                ? (adapter.info.isFallbackAdapter as boolean)
                : (adapter.isFallbackAdapter ?? null),
            features: [...adapter.features].sort(),
            maxBufferSize: adapter.limits.maxBufferSize ?? null,
          };
        }
        out.fallbackAdapterAvailable = !!(await gpu.requestAdapter({ forceFallbackAdapter: true }));
      } catch (e) {
        out.error = e instanceof Error ? e.message : String(e);
      }
      return out;
    });
    writeFileSync(join(artifactsDir, 'webgpu.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(`e2e: WebGPU report ${JSON.stringify(report)}`);
    // informational: a null adapter or an error here is printed, not failed on
    expect(typeof report.hasNavigatorGpu).toBe('boolean');
  });
});
