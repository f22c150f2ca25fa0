#!/usr/bin/env node
// Entry for `npx tgnn …`: runs the TypeScript CLI through tsx's loader (no build step needed).
import { register } from 'tsx/esm/api';

register();
try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // an engine bug, not bad input: say so in a few lines (no multi-kilobyte source dumps)
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`tgnn: internal error: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}\n`);
  process.exitCode = 1;
}
