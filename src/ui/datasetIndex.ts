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
  return json.map((e, i) => {
    const ok =
      e && typeof e === 'object' &&
      typeof e.name === 'string' && typeof e.file === 'string' &&
      typeof e.events === 'number' && typeof e.nodes === 'number';
    if (!ok) throw new Error(`datasets/index.json: entry ${i} lacks name/file/events/nodes`);
    return { name: e.name, file: e.file, description: String(e.description ?? ''), events: e.events, nodes: e.nodes };
  });
}

/**
 * Counts events (non-empty rows, less a non-numeric header) and distinct node ids (first two columns)
 * of a delimited text stream. A stand-in until the UI goes through the engine's importer.
 */
export function countStream(text: string): { events: number; nodes: number } {
  const ids = new Set<string>();
  let events = 0;
  let first = true;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue;
    const cols = line.split(/[,\t ;]+/);
    if (first) {
      first = false;
      if (cols.slice(0, 2).some((c) => c === '' || Number.isNaN(Number(c)))) continue;
    }
    if (cols.length < 2) continue;
    ids.add(cols[0]!);
    ids.add(cols[1]!);
    events++;
  }
  return { events, nodes: ids.size };
}
