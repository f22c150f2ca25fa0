// A `tgnn serve --clock wall` server thread (worker_threads): loads the TypeScript worker through tsx's
// loader, as bin/tgnn.mjs loads the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/serveWorker.ts');
