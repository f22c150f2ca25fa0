import { describe, expect, it } from 'vitest';
import { formatIssue, importEventStream } from '../engine/data/import.ts';
import { importBlob } from './importBlob.ts';
import { WorkerSession } from './workerSession.ts';

const text = 'src,dst,t\n' + Array.from({ length: 3000 }, (_, i) => (i === 1500 ? `"a\nb",7,${i}` : `${i % 37},${(i * 3) % 41},${i}`)).join('\n') + '\n';

/** a Blob whose slices count how often and how much they were read */
class CountingBlob extends Blob {
  readonly reads: number[] = [];
  override slice(start?: number, end?: number): Blob {
    const part = super.slice(start, end);
    this.reads.push(part.size);
    return part;
  }
}

describe('importBlob (an uploaded File read in slices)', () => {
  it('reads the file slice by slice, never whole, into the stream and report read in one piece', async () => {
    const blob = new CountingBlob([text]);
    const progress: number[] = [];
    const sliced = await importBlob('f.csv', blob, { onProgress: (f) => progress.push(f) }, 4096);
    const whole = importEventStream(text);
    expect(blob.reads.length).toBe(Math.ceil(blob.size / 4096));
    expect(Math.max(...blob.reads)).toBe(4096);
    expect(Array.from(sliced.stream.src)).toEqual(Array.from(whole.stream.src));
    expect(Array.from(sliced.stream.t)).toEqual(Array.from(whole.stream.t));
    expect(sliced.stream.rawNodeIds).toEqual(whole.stream.rawNodeIds);
    expect({ ...sliced.report, parseMs: 0 }).toEqual({ ...whole.report, parseMs: 0 });
    expect(sliced.report.issues.map(formatIssue)).toEqual([
      'line 1502: 1 quoted value spans lines (the first opens here) and was read as one value; if a quote was not meant to be there, delete it',
    ]);
    expect(progress.length).toBeGreaterThan(50);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1]!)).toBe(true);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('a slice that cannot be read is an error naming the file', async () => {
    class Unreadable extends Blob {
      override slice(): Blob {
        return { arrayBuffer: () => Promise.reject(new Error('the file was changed or removed')) } as unknown as Blob;
      }
    }
    await expect(importBlob('gone.csv', new Unreadable([text]), {}, 4096)).rejects.toThrow('could not read gone.csv: the file was changed or removed');
  });

  it('WorkerSession.importFile takes a File and reports its import as for bytes', async () => {
    const session = new WorkerSession();
    try {
      const fromBlob = await session.importFile('f.csv', new Blob([text]));
      const fromBytes = await session.importFile('f.csv', new TextEncoder().encode(text));
      expect(fromBlob.ok && fromBytes.ok).toBe(true);
      if (!fromBlob.ok || !fromBytes.ok) return;
      expect({ ...fromBlob.summary, report: { ...fromBlob.summary.report, parseMs: 0 } }).toEqual({ ...fromBytes.summary, report: { ...fromBytes.summary.report, parseMs: 0 } });
      expect(fromBlob.summary.events).toBe(3000);
      const bad = await session.importFile('bad.csv', new Blob(['{"src": 1}\n']));
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.message).toMatch(/looks like JSON/);
    } finally {
      session.dispose();
    }
  });
});
