import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openSession, type Session } from './browser.ts';

const datasetsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'datasets');

/** events and distinct node ids of the committed CSV, counted here independently of the app */
function countCommittedCsv(file: string): { events: number; nodes: number } {
  const lines = readFileSync(join(datasetsDir, file), 'utf8').trimEnd().split('\n');
  const [header, ...rows] = lines;
  expect(header).toBe('src,dst,t,feat');
  const ids = new Set<string>();
  for (const row of rows) {
    const [s, d] = row.split(',');
    ids.add(s!);
    ids.add(d!);
  }
  return { events: rows.length, nodes: ids.size };
}

describe('app', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
    await session.page.goto(`${origin}/`, { waitUntil: 'load' });
    await session.page.getByTestId('dataset-stats').waitFor({ state: 'visible', timeout: 30_000 });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows the title', async () => {
    expect(await session.page.title()).toBe('TGNN Playground');
    expect(await session.page.locator('h1').textContent()).toBe('TGNN Playground');
  });

  it('shows the first bundled dataset with counts matching the committed CSV', async () => {
    const index = JSON.parse(readFileSync(join(datasetsDir, 'index.json'), 'utf8')) as {
      name: string;
      file: string;
      events: number;
      nodes: number;
    }[];
    const first = index[0]!;
    const counted = countCommittedCsv(first.file);
    expect(counted).toEqual({ events: first.events, nodes: first.nodes });

    const fmt = new Intl.NumberFormat('en-US');
    expect(await session.page.getByTestId('dataset-name').textContent()).toBe(first.name);
    expect(await session.page.getByTestId('dataset-stats').textContent()).toBe(
      `${fmt.format(counted.events)} events · ${fmt.format(counted.nodes)} nodes`,
    );
  });

  it('is cross-origin isolated (COOP/COEP served)', async () => {
    expect(await session.page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  });

  it('logs no console errors', () => {
    expect(session.errors).toEqual([]);
  });

  it('makes no request outside its own origin', () => {
    expect(session.requests.length).toBeGreaterThan(0);
    // data: and blob: URLs are resolved inside the page and never reach the network
    const outside = session.requests.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'),
    );
    expect(outside).toEqual([]);
  });

  it('saves a screenshot', async () => {
    const path = join(artifactsDir, 'app.png');
    await session.page.screenshot({ path, fullPage: true });
    console.log(`e2e: screenshot ${path}`);
  });
});
