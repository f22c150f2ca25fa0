// Imports an uploaded File (any Blob) in slices of IMPORT_CHUNK_BYTES, so the page and the worker never hold
// the file whole: each slice is read (blob.slice(a, b).arrayBuffer()), handed to the streaming importer and
// dropped. Between slices the worker's event loop runs (progress messages, heartbeats).
import { EventStreamImporter, IMPORT_CHUNK_BYTES } from '../engine/data/import.ts';
import type { ImportOptions, ImportReport } from '../shared/data.ts';
import type { EventStream } from '../engine/data/eventStream.ts';

/** the bytes of a dataset as the page hands them over: an uploaded File (read in slices), bytes or text */
export type DatasetData = Uint8Array | string | Blob;

/** Reads `blob` slice by slice into the importer; a slice that cannot be read is an Error naming the file. */
export async function importBlob(
  name: string,
  blob: Blob,
  options: ImportOptions = {},
  chunkBytes = IMPORT_CHUNK_BYTES,
): Promise<{ stream: EventStream; report: ImportReport }> {
  const importer = new EventStreamImporter(options, blob.size);
  for (let at = 0; at < blob.size; at += chunkBytes) {
    let slice: ArrayBuffer;
    try {
      slice = await blob.slice(at, Math.min(blob.size, at + chunkBytes)).arrayBuffer();
    } catch (e) {
      throw new Error(`could not read ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    importer.push(new Uint8Array(slice));
  }
  return importer.finish();
}
