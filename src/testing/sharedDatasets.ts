// The real public datasets live in ../shared/datasets beside the repo (CI has them; a user's clone does not).
// Tests that read them ask here and skip, with one printed reason, when the folder is absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATASETS_DIR = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));

const warned = new Set<string>();

/** Absolute path of `rel` under ../shared/datasets, or null (after printing why, once per file) when it is missing. */
export function sharedDataset(rel: string): string | null {
  const path = join(SHARED_DATASETS_DIR, rel);
  if (existsSync(path)) return path;
  if (!warned.has(rel)) {
    warned.add(rel);
    console.warn(`skipping tests that read ${rel}: ../shared/datasets/${rel} is not beside this clone (CI has it; see ../shared/datasets/README.md)`);
  }
  return null;
}
