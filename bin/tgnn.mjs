#!/usr/bin/env node
// Entry for `npx tgnn …`: runs the TypeScript CLI through tsx's loader (no build step needed).
// Exit codes: 0 done (also when the reader of stdout or stderr goes away), 2 bad input, 1 internal error.
import { register } from 'tsx/esm/api';

register();
try {
  const { main, exitQuietlyOnClosedPipe } = await import('../src/cli/main.ts');
  exitQuietlyOnClosedPipe([process.stdout, process.stderr], (code) => process.exit(code));
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof Error && /** @type {NodeJS.ErrnoException} */ (e).code === 'EPIPE') process.exit(0);
  // an engine bug, not bad input: say so in a few lines (no multi-kilobyte source dumps)
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`tgnn: internal error: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}\n`);
  process.exitCode = 1;
}
