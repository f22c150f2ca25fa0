// Benchmarks that drive the app in Chromium: build it into dist-bench/ (production) and serve it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDirectory } from '../e2e/staticServer.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** builds the app into dist-bench/ and serves it on a local origin */
export async function serveBenchBuild(): Promise<Awaited<ReturnType<typeof serveDirectory>>> {
  const outDir = 'dist-bench';
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (built.status !== 0) throw new Error(`vite build failed (exit ${built.status})`);
  return serveDirectory(join(root, outDir));
}
