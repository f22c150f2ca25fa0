/** One entry of public/datasets/index.json (written by scripts/generate-datasets.ts). */
export interface DatasetEntry {
  name: string;
  file: string;
  description: string;
  events: number;
  nodes: number;
}

export function parseDatasetIndex(json: unknown): DatasetEntry[] {
  if (!Array.isArray(json)) throw new Error(`datasets/index.json: expected an array, got ${typeof json}`);
  return (json as unknown[]).map((item, i) => {
    const e = (item !== null && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const { name, file, events, nodes, description } = e;
    if (typeof name !== 'string' || typeof file !== 'string' || typeof events !== 'number' || typeof nodes !== 'number') {
      throw new Error(`datasets/index.json: entry ${i} lacks name/file/events/nodes`);
    }
    return { name, file, description: typeof description === 'string' ? description : '', events, nodes };
  });
}

/** The URL of a bundled dataset's file, under the app's base path. */
export function datasetUrl(base: string, entry: DatasetEntry): string {
  return `${base}datasets/${encodeURIComponent(entry.file)}`;
}
