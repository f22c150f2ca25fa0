// The layers as checks, not comments (ARCHITECTURE §1): what each part of src/ may import.
// - src/shared imports nothing outside itself (no package either): it is the contract everything else reads.
// - src/ui imports src/shared and the bridge (src/workers/bridge.ts, bridgeApi.ts), never the engine or tfjs.
// - src/engine imports no page or worker code (no React, d3, comlink, src/ui or src/workers).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** every module specifier a file imports or re-exports (static and dynamic imports), with its line */
export function importsOf(text: string): { readonly spec: string; readonly line: number }[] {
  const out: { spec: string; line: number }[] = [];
  const patterns = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) out.push({ spec: m[1]!, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** "src/ui/App.tsx:7 imports ../engine/x.ts" for every import of the files under `dir` that `allowed` refuses */
function violations(dir: string, allowed: (target: string, spec: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(SRC, dir))) {
    for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
      const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)).split('\\').join('/') : spec;
      if (!allowed(target, spec)) found.push(`src/${relative(SRC, file)}:${line} imports ${spec}`);
    }
  }
  return found;
}

const inside = (target: string, dir: string): boolean => target.startsWith(`${dir}/`);
const isPackage = (spec: string): boolean => !spec.startsWith('.');

describe('import boundaries', () => {
  it('finds the imports of a file, static, re-exported and dynamic', () => {
    const text = "import a from './a.ts';\nimport type { B } from '../b.ts';\nexport { c } from './c.ts';\nconst d = await import('./d.ts');\nimport './e.css';\nimport {\n  f,\n} from 'f';\n";
    expect(importsOf(text).map((i) => i.spec).sort()).toEqual(['../b.ts', './a.ts', './c.ts', './d.ts', './e.css', 'f']);
  });

  it('src/shared imports nothing outside itself', () => {
    expect(violations('shared', (target, spec) => !isPackage(spec) && inside(target, 'shared'))).toEqual([]);
  });

  it('src/ui imports only src/shared, the bridge and page libraries', () => {
    const bridge = new Set(['workers/bridge.ts', 'workers/bridgeApi.ts']);
    const pagePackages = /^(react|react-dom|react\/jsx-runtime|react-dom\/client|d3(-[a-z-]+)?)$/;
    expect(violations('ui', (target, spec) => (isPackage(spec)
      ? pagePackages.test(spec)
      : inside(target, 'ui') || inside(target, 'shared') || bridge.has(target)))).toEqual([]);
  });

  it('src/engine imports no page or worker code', () => {
    expect(violations('engine', (target, spec) => (isPackage(spec)
      ? !/^(react|react-dom|d3|comlink)(\/|$)/.test(spec)
      : inside(target, 'engine') || inside(target, 'shared')))).toEqual([]);
  });

  it('would catch a UI file importing the engine (the check is not vacuous)', () => {
    const ui = sourceFiles(join(SRC, 'ui'));
    expect(ui.length).toBeGreaterThan(20);
    const text = "import { createTgn } from '../engine/models/tgn.ts';\n";
    const spec = importsOf(text)[0]!.spec;
    const target = relative(SRC, resolve(join(SRC, 'ui'), spec)).split('\\').join('/');
    expect(target).toBe('engine/models/tgn.ts');
    expect(inside(target, 'ui') || inside(target, 'shared')).toBe(false);
  });
});
