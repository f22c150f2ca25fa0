import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { serveDirectory } from './staticServer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** origin of the static server that serves dist/, e.g. http://127.0.0.1:41234 */
    baseUrl: string;
  }
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the app into dist/ (skip with E2E_SKIP_BUILD=1) and serves it for the e2e files.
 * E2E_DIST_DIR (relative to the repository root) builds elsewhere, so two runs do not share a folder.
 */
export default async function setup(project: TestProject) {
  const outDir = process.env.E2E_DIST_DIR ?? 'dist';
  const dist = join(repoRoot, outDir);
  if (process.env.E2E_SKIP_BUILD !== '1') {
    const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
    const started = Date.now();
    const result = spawnSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
      // vitest sets NODE_ENV=test, which would make vite bundle React's development build
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) throw new Error(`e2e: vite build failed with exit code ${result.status}`);
    console.log(`e2e: built ${outDir}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`e2e: expected ${dist}/index.html after the build`);
  const server = await serveDirectory(dist);
  console.log(`e2e: serving ${outDir}/ at ${server.origin}`);
  project.provide('baseUrl', server.origin);
  return async () => {
    await server.close();
  };
}
