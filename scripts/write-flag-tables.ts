// Writes docs/cli.md's flag tables from the shared tables (src/cli/flagTables.ts); `npm run docs:flags`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withFlagTables } from '../src/cli/flagTables.ts';

const path = fileURLToPath(new URL('../docs/cli.md', import.meta.url));
const before = readFileSync(path, 'utf8');
const after = withFlagTables(before);
writeFileSync(path, after);
console.log(after === before ? 'docs/cli.md: flag tables already up to date' : 'docs/cli.md: flag tables rewritten');
