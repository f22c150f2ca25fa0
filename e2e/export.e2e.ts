import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** the committed stream's rows, and its nodes numbered by first appearance (src before dst), counted here */
function committed(file: string): { rows: string[][]; idOf: Map<string, number> } {
  const [header, ...lines] = readFileSync(join(repoRoot, 'public', 'datasets', file), 'utf8').trimEnd().split('\n');
  expect(header).toBe('src,dst,t,feat');
  const rows = lines.map((l) => l.split(','));
  const idOf = new Map<string, number>();
  for (const [s, d] of rows) {
    for (const v of [s!, d!]) if (!idOf.has(v)) idOf.set(v, idOf.size);
  }
  return { rows, idOf };
}

describe('export for DyGLib / TGL', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
  });

  // each test starts from a fresh load, so the tests pass in any order
  beforeEach(async () => {
    await session.page.goto('about:blank');
    await openApp(session.page, `${origin}/#dataset=synthetic-small`);
  });

  afterAll(async () => {
    await session?.close();
  });

  /** clicks Export for `format` and collects `count` downloads by file name */
  const exportFiles = async (format: 'dyglib' | 'tgl', count: number): Promise<Map<string, Buffer>> => {
    const downloads: Download[] = [];
    const onDownload = (d: Download) => void downloads.push(d);
    session.page.on('download', onDownload);
    try {
      await session.page.getByTestId('export-format').selectOption(format);
      const first = session.page.waitForEvent('download', { timeout: 30_000 });
      await session.page.getByTestId('export-button').click();
      await first;
      const deadline = Date.now() + 30_000;
      while (downloads.length < count && Date.now() < deadline) await session.page.waitForTimeout(50);
      expect(downloads.map((d) => d.suggestedFilename())).toHaveLength(count);
      await session.page.getByTestId('export-status').waitFor({ state: 'visible', timeout: 10_000 });
    } finally {
      session.page.off('download', onDownload);
    }
    const files = new Map<string, Buffer>();
    for (const d of downloads) files.set(d.suggestedFilename(), readFileSync(await d.path()));
    return files;
  };

  it('DyGLib: downloads ml_NAME.csv (one row per event of the bundled stream), ml_NAME.npy and ml_NAME_node.npy', async () => {
    const { rows, idOf } = committed('synthetic-small.csv');
    const files = await exportFiles('dyglib', 4);
    expect([...files.keys()].sort()).toEqual(['ml_synthetic-small.csv', 'ml_synthetic-small.npy', 'ml_synthetic-small_node.npy', 'ml_synthetic-small_node_ids.csv']);
    const lines = files.get('ml_synthetic-small.csv')!.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(',u,i,ts,label,idx');
    expect(lines.length - 1).toBe(rows.length);
    expect(rows.length).toBe(3000);
    // the committed file is in time order: row k is event k, nodes 1-based by first appearance
    for (let k = 0; k < 3; k++) {
      const [s, d, t] = rows[k]!;
      expect(lines[k + 1]).toBe(`${k},${idOf.get(s!)! + 1},${idOf.get(d!)! + 1},${t}.0,0.0,${k + 1}`);
    }
    const npy = files.get('ml_synthetic-small.npy')!;
    expect(npy.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    expect(npy.subarray(10, 128).toString('latin1')).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3001, 1\), \} +\n$/);
    // row 0 is DyGLib's zero padding row, row 1 the first event's feature
    expect(npy.readFloatLE(128)).toBe(0);
    expect(npy.readFloatLE(132)).toBe(Math.fround(Number(rows[0]![3])));
    expect(npy.length).toBe(128 + 3001 * 4);
    const notes = await session.page.getByTestId('export-notes').textContent();
    expect(notes).toMatch(/processed_data\/synthetic-small\//);
    await session.page.screenshot({ path: join(artifactsDir, 'export-dyglib.png') });
  });

  it('TGL: downloads edges.csv with ext_roll 0/1/2, edge_features.npy and the model configs', async () => {
    const { rows } = committed('synthetic-small.csv');
    const files = await exportFiles('tgl', 5);
    expect([...files.keys()].sort()).toEqual(['TGN.yml', 'disttgl.yml', 'edge_features.npy', 'edges.csv', 'node_ids.csv']);
    const lines = files.get('edges.csv')!.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(',src,dst,time,int_roll,ext_roll');
    expect(lines.length - 1).toBe(rows.length);
    const rolls = lines.slice(1).map((l) => Number(l.split(',')[5]));
    expect([0, 1, 2].map((r) => rolls.filter((x) => x === r).length)).toEqual([2100, 450, 450]);
    expect(files.get('TGN.yml')!.toString('utf8')).toMatch(/memory_update: 'gru'/);
    expect(files.get('disttgl.yml')!.toString('utf8')).toMatch(/memory_update: 'smart'/);
    expect(session.errors).toEqual([]);
  });
});
