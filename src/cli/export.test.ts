import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliTesting.ts';
import { importEventStream } from '../engine/data/import.ts';
import { withEdgeFeatures } from '../engine/data/export.ts';


afterEach(() => vi.restoreAllMocks());

const SOURCE = 'src,dst,t,f1,f2\nalice,bob,10,0.5,1\nbob,carol,20,0.25,-1\nalice,carol,20,1.5,2\ndave,alice,35,0,0.125\n' +
  'carol,bob,40,3,4\nerin,dave,50,-0.5,0.75\nalice,erin,60,2,1\n';

function sourceFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tgnn-export-'));
  const file = join(dir, 'toy events.csv');
  writeFileSync(file, SOURCE);
  return { dir, file };
}

describe('tgnn export', () => {
  it('--format dyglib writes ml_NAME.csv/.npy/_node.npy that re-import to the same stream', async () => {
    const { dir, file } = sourceFile();
    const out = join(dir, 'processed_data', 'toy');
    const r = await cli('export', '--data', file, '--format', 'dyglib', '--out', out, '--name', 'toy', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ format: 'dyglib', name: 'toy', events: 7, nodes: 5, split: { train: 5, val: 1, test: 1 } });
    expect(readdirSync(out).sort()).toEqual(['ml_toy.csv', 'ml_toy.npy', 'ml_toy_node.npy', 'ml_toy_node_ids.csv']);
    expect(summary.notes.join('\n')).toMatch(/python train_link_prediction\.py --dataset_name toy --model_name TGN /);
    const csv = readFileSync(join(out, 'ml_toy.csv'), 'utf8');
    expect(csv.split('\n').slice(0, 2)).toEqual([',u,i,ts,label,idx', '0,1,2,10.0,0.0,1']);

    const original = importEventStream(SOURCE).stream;
    const back = withEdgeFeatures(importEventStream(readFileSync(join(out, 'ml_toy.csv'))).stream, readFileSync(join(out, 'ml_toy.npy')), 'dyglib');
    expect(Array.from(back.src)).toEqual(Array.from(original.src));
    expect(Array.from(back.dst)).toEqual(Array.from(original.dst));
    expect(Array.from(back.t)).toEqual(Array.from(original.t));
    expect(Array.from(back.edgeFeatures)).toEqual(Array.from(original.edgeFeatures));
  });

  it('--format tgl writes edges.csv, edge_features.npy and the model configs; the name defaults to the file name', async () => {
    const { dir, file } = sourceFile();
    const out = join(dir, 'DATA', 'x');
    const r = await cli('export', '--data', file, '--format', 'tgl', '--out', out, '--model', 'jodie', '--batch-size', '600', '--epochs', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^tgl: 7 events, 5 nodes \(train\/val\/test 5\/1\/1\)/);
    expect(r.out).toMatch(/python train\.py --data toy_events --config DATA\/toy_events\/JODIE\.yml/);
    expect(readdirSync(out).sort()).toEqual(['JODIE.yml', 'edge_features.npy', 'edges.csv', 'node_ids.csv']);
    const yaml = readFileSync(join(out, 'JODIE.yml'), 'utf8');
    expect(yaml).toMatch(/memory_update: 'rnn'/);
    expect(yaml).toMatch(/train:\n {2}- epoch: 3\n {4}batch_size: 600\n {4}lr: 0\.0001\n/);
    expect(readFileSync(join(out, 'edges.csv'), 'utf8').split('\n')[6]).toBe('5,4,3,50.0,1,1');
  });

  it('bad flags exit 2 with one line saying what to do', async () => {
    const { dir, file } = sourceFile();
    const bad = await cli('export', '--data', file, '--format', 'pyg', '--out', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("tgnn: --format must be one of dyglib, tgl, got 'pyg'\n");
    expect((await cli('export', '--data', file, '--format', 'tgl')).err).toMatch(/missing --out/);
    expect((await cli('export', '--data', file, '--format', 'tgl', '--out', dir, '--model', 'dygformer')).err)
      .toMatch(/--model must be one of tgn, jodie, dyrep, apan, tgat, tgn-static, got 'dygformer'/);
    const name = await cli('export', '--data', file, '--format', 'dyglib', '--out', join(dir, 'n'), '--name', 'a/b');
    expect(name.code).toBe(2);
    expect(name.err).toMatch(/^tgnn: export name 'a\/b' must be letters, digits/);
    expect(existsSync(join(dir, 'n'))).toBe(false);
  });
});
