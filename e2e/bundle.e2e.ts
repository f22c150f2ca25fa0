import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 12, "turn conventions into checks": the page's own code (what index.html loads and everything it
// imports, statically or on demand) holds no tfjs; tfjs runs in the engine worker only. Read from the
// build the e2e suite serves (globalSetup builds it into E2E_DIST_DIR, default dist/).

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(repoRoot, process.env.E2E_DIST_DIR ?? 'dist');
/** a string only tfjs-core's code holds (its environment-flag parser reads `?tfjsflags=` from the URL) */
const TFJS_MARKER = 'tfjsflags';

/** the chunks a module imports: `from"./x.js"`, `import("./x.js")`, import(`./x.js`) */
function importsOf(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/(?:from\s*|import\s*\(\s*|import\s*)["'`]\.\/([^"'`]+\.js)["'`]/g)) out.add(m[1]!);
  return [...out];
}

describe('the built page', () => {
  it('loads no tfjs on the main thread: every chunk the page reaches is free of it, the worker chunk holds it', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const entries = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(entries.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const f = queue.shift()!;
      if (seen.has(f)) continue;
      seen.add(f);
      queue.push(...importsOf(readFileSync(join(dist, 'assets', f), 'utf8')));
    }
    const withTfjs = [...seen].filter((f) => readFileSync(join(dist, 'assets', f), 'utf8').includes(TFJS_MARKER));
    console.log(`e2e bundle: the page reaches ${seen.size} chunks (${[...seen].join(', ')}); with tfjs: ${withTfjs.join(', ') || 'none'}`);
    expect(withTfjs).toEqual([]);
    // the marker is real: the engine worker's code (and what it imports) has it
    const worker = readdirSync(join(dist, 'assets')).find((f) => /^engine\.worker-.*\.js$/.test(f));
    expect(worker, 'the engine worker chunk').toBeDefined();
    const workerReach = new Set<string>([worker!]);
    for (const f of [...workerReach]) for (const i of importsOf(readFileSync(join(dist, 'assets', f), 'utf8'))) workerReach.add(i);
    expect([...workerReach].some((f) => readFileSync(join(dist, 'assets', f), 'utf8').includes(TFJS_MARKER))).toBe(true);
  });
});
