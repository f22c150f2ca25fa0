import { TGN_DEFAULTS } from '../../shared/presets.ts';
import { describe, expect, it } from 'vitest';
import { importEventStream } from './import.ts';
import { decodeNpy } from './npy.ts';
import { distTglConfig, dyglibCommand, exportDyglib, exportNameFromFile, exportTgl, extRoll, pyFloatRepr, tglConfig, withEdgeFeatures, type ExportModel } from './export.ts';
import type { ExportResult } from '../../shared/data.ts';

// 7 events, string node ids (alice=0 bob=1 carol=2 dave=3 erin=4), two edge features, a tie at t=20
const SOURCE = [
  'src,dst,t,f1,f2',
  'alice,bob,10,0.5,1',
  'bob,carol,20,0.25,-1',
  'alice,carol,20,1.5,2',
  'dave,alice,35,0,0.125',
  'carol,bob,40,3,4',
  'erin,dave,50,-0.5,0.75',
  'alice,erin,60,2,1',
].join('\n') + '\n';

const stream = importEventStream(SOURCE).stream;
const text = (r: ExportResult, name: string): string => new TextDecoder().decode(file(r, name));
const file = (r: ExportResult, name: string): Uint8Array => {
  const f = r.files.find((x) => x.name === name);
  if (!f) throw new Error(`expected a file ${name}, got ${r.files.map((x) => x.name).join(', ')}`);
  return f.bytes;
};
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const f32 = (xs: number[]): number[] => Array.from(new Uint8Array(new Float32Array(xs).buffer));

const TGN: ExportModel = {
  preset: 'tgn',
  config: TGN_DEFAULTS,
  batchSize: 600, learningRate: 1e-4, epochs: 10,
};

describe('export', () => {
  it('the hand-written stream imports as expected', () => {
    expect(stream.rawNodeIds).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(stream.edgeFeatureDim).toBe(2);
  });

  it('ext_roll follows the chronological 70/15/15 split (val time 42, test time 51)', () => {
    expect(Array.from(extRoll(stream))).toEqual([0, 0, 0, 0, 0, 1, 2]);
  });

  it('DyGLib: ml_NAME.csv byte for byte (1-based nodes and idx, float ts and label)', () => {
    const r = exportDyglib(stream, { name: 'toy' });
    expect(r.files.map((f) => f.name)).toEqual(['ml_toy.csv', 'ml_toy.npy', 'ml_toy_node.npy', 'ml_toy_node_ids.csv']);
    expect(text(r, 'ml_toy.csv')).toBe([
      ',u,i,ts,label,idx',
      '0,1,2,10.0,0.0,1',
      '1,2,3,20.0,0.0,2',
      '2,1,3,20.0,0.0,3',
      '3,4,1,35.0,0.0,4',
      '4,3,2,40.0,0.0,5',
      '5,5,4,50.0,0.0,6',
      '6,1,5,60.0,0.0,7',
    ].join('\n') + '\n');
    expect(text(r, 'ml_toy_node_ids.csv')).toBe('id,raw_id\n1,alice\n2,bob\n3,carol\n4,dave\n5,erin\n');
    expect(r.split).toEqual({ train: 5, val: 1, test: 1 });
    expect([r.events, r.nodes]).toEqual([7, 5]);
  });

  it('DyGLib: ml_NAME.npy bytes = numpy header for (8, 2) <f4 + a zero padding row + the features', () => {
    const r = exportDyglib(stream, { name: 'toy' });
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (8, 2), }";
    const header = [0x93, ...ascii('NUMPY'), 1, 0, 118, 0, ...ascii(dict), ...ascii(' '.repeat(58)), 0x0a];
    const values = f32([0, 0, 0.5, 1, 0.25, -1, 1.5, 2, 0, 0.125, 3, 4, -0.5, 0.75, 2, 1]);
    expect(Array.from(file(r, 'ml_toy.npy'))).toEqual([...header, ...values]);
    // node features: zeros, (N + 1) × 172 as DyGLib's preprocess_data.py writes them
    const node = decodeNpy(file(r, 'ml_toy_node.npy'));
    expect(node.shape).toEqual([6, 172]);
    expect(node.data.every((x) => x === 0)).toBe(true);
    expect(decodeNpy(exportDyglib(stream, { name: 'toy', nodeFeatureDim: 4 }).files[2]!.bytes).shape).toEqual([6, 4]);
  });

  it('TGL: edges.csv byte for byte (0-based ids, edge id column, int_roll = ext_roll) and edge_features.npy', () => {
    const r = exportTgl(stream, { name: 'toy' });
    expect(r.files.map((f) => f.name)).toEqual(['edges.csv', 'edge_features.npy', 'node_ids.csv']);
    expect(text(r, 'edges.csv')).toBe([
      ',src,dst,time,int_roll,ext_roll',
      '0,0,1,10.0,0,0',
      '1,1,2,20.0,0,0',
      '2,0,2,20.0,0,0',
      '3,3,0,35.0,0,0',
      '4,2,1,40.0,0,0',
      '5,4,3,50.0,1,1',
      '6,0,4,60.0,2,2',
    ].join('\n') + '\n');
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (7, 2), }";
    const header = [0x93, ...ascii('NUMPY'), 1, 0, 118, 0, ...ascii(dict), ...ascii(' '.repeat(58)), 0x0a];
    const values = f32([0.5, 1, 0.25, -1, 1.5, 2, 0, 0.125, 3, 4, -0.5, 0.75, 2, 1]);
    expect(Array.from(file(r, 'edge_features.npy'))).toEqual([...header, ...values]);
    expect(text(r, 'node_ids.csv')).toBe('id,raw_id\n0,alice\n1,bob\n2,carol\n3,dave\n4,erin\n');
    expect(r.notes.join('\n')).toMatch(/torch\.save\(torch\.from_numpy\(numpy\.load\('DATA\/toy\/edge_features\.npy'\)\), 'DATA\/toy\/edge_features\.pt'\)/);
  });

  it('round trip DyGLib → our importer (+ ml_NAME.npy) gives the same src/dst/t/features', () => {
    const r = exportDyglib(stream, { name: 'toy' });
    const { stream: back, report } = importEventStream(file(r, 'ml_toy.csv'));
    expect(report.format).toBe('dyglib');
    expect(back.edgeFeatureDim).toBe(0);
    const full = withEdgeFeatures(back, file(r, 'ml_toy.npy'), 'dyglib');
    expect(full.numEvents).toBe(stream.numEvents);
    expect(Array.from(full.t)).toEqual(Array.from(stream.t));
    expect(Array.from(full.edgeFeatures)).toEqual(Array.from(stream.edgeFeatures));
    // raw ids come back as the exported 1-based ids; node_ids.csv maps them to the original names
    const rawOf = new Map(text(r, 'ml_toy_node_ids.csv').trim().split('\n').slice(1).map((l) => l.split(',') as [string, string]));
    for (let e = 0; e < stream.numEvents; e++) {
      expect(rawOf.get(full.rawNodeIds[full.src[e]!]!)).toBe(stream.rawNodeIds[stream.src[e]!]);
      expect(rawOf.get(full.rawNodeIds[full.dst[e]!]!)).toBe(stream.rawNodeIds[stream.dst[e]!]);
    }
    // first appearance in time order = the original compaction, so even the compacted ids agree
    expect(Array.from(full.src)).toEqual(Array.from(stream.src));
    expect(Array.from(full.dst)).toEqual(Array.from(stream.dst));
  });

  it('round trip TGL edges.csv → our importer: header detected, roll columns skipped, same src/dst/t/features', () => {
    const r = exportTgl(stream, { name: 'toy' });
    const { stream: back, report } = importEventStream(file(r, 'edges.csv'));
    expect(report.header).toBe(true);
    expect(report.columnNames).toEqual(['skip', 'src', 'dst', 't', 'skip', 'skip']);
    expect(back.edgeFeatureDim).toBe(0);
    const full = withEdgeFeatures(back, file(r, 'edge_features.npy'), 'tgl');
    expect(Array.from(full.src)).toEqual(Array.from(stream.src));
    expect(Array.from(full.dst)).toEqual(Array.from(stream.dst));
    expect(full.rawNodeIds).toEqual(['0', '1', '2', '3', '4']);
    expect(Array.from(full.t)).toEqual(Array.from(stream.t));
    expect(Array.from(full.edgeFeatures)).toEqual(Array.from(stream.edgeFeatures));
    expect(() => withEdgeFeatures(back, file(r, 'edge_features.npy'), 'dyglib')).toThrow(/expected 8 feature rows \(7 events \+ padding row 0\), got 7/);
  });

  it('node id maps write raw ids a spreadsheet would run as formulas with a leading \' (negative numbers stay)', () => {
    const hostile = importEventStream('src,dst,t\n"=HYPERLINK(""http://x"",""y"")",-5,1\n@SUM(A1),-0.5,2\n-abc,+cmd,3\n').stream;
    const expected = ['"\'=HYPERLINK(""http://x"",""y"")"', '-5', '"\'@SUM(A1)"', '-0.5', '"\'-abc"', '"\'+cmd"'];
    expect(hostile.rawNodeIds).toEqual(['=HYPERLINK("http://x","y")', '-5', '@SUM(A1)', '-0.5', '-abc', '+cmd']);
    expect(text(exportDyglib(hostile, { name: 'h' }), 'ml_h_node_ids.csv')).toBe(`id,raw_id\n${expected.map((f, i) => `${i + 1},${f}`).join('\n')}\n`);
    expect(text(exportTgl(hostile, { name: 'h' }), 'node_ids.csv')).toBe(`id,raw_id\n${expected.map((f, i) => `${i},${f}`).join('\n')}\n`);
  });

  it('labels, quoted raw ids, and a featureless stream (one zero column, with a note)', () => {
    const jodie = importEventStream('user_id,item_id,timestamp,state_label\n7,"a,b",1.5,0\n8,c,2.25,1\n7,c,3,0\n9,"a,b",4,0.1\n').stream;
    const r = exportDyglib(jodie, { name: 'j' });
    expect(text(r, 'ml_j.csv').split('\n').slice(1, 5)).toEqual(['0,1,4,1.5,0.0,1', '1,2,5,2.25,1.0,2', '2,1,5,3.0,0.0,3', '3,3,4,4.0,0.1,4']);
    expect(text(r, 'ml_j_node_ids.csv')).toBe('id,raw_id\n1,7\n2,8\n3,9\n4,"item:a,b"\n5,item:c\n');
    expect(decodeNpy(file(r, 'ml_j.npy')).shape).toEqual([5, 1]);
    expect(r.notes.join('\n')).toMatch(/no edge features: the feature file holds one zero column/);
  });

  it('Python float repr for times (what pandas writes)', () => {
    expect([1082008561, 0.5, 1e-5, 1e16, 1234567890123456, 0.1 + 0.2, -2.5e-7].map(pyFloatRepr))
      .toEqual(['1082008561.0', '0.5', '1e-05', '1e+16', '1234567890123456.0', '0.30000000000000004', '-2.5e-07']);
  });

  it('rejects names that cannot be a folder, and derives a name from a file', () => {
    expect(() => exportDyglib(stream, { name: '../x' })).toThrow(/export name '\.\.\/x' must be letters, digits/);
    expect(exportNameFromFile('/data/CollegeMsg.txt')).toBe('CollegeMsg');
    expect(exportNameFromFile('ml_wikipedia.csv')).toBe('wikipedia');
    expect(exportNameFromFile('soc sign (1).csv')).toBe('soc_sign__1_');
  });

  it('TGL config for TGN: the sections of TGL\'s config/TGN.yml from our config fields', () => {
    const { fileName, yaml } = tglConfig(TGN);
    expect(fileName).toBe('TGN.yml');
    expect(yaml).toBe([
      "# TGL config for our 'tgn' preset (tgnn export); sections as in TGL's config/*.yml",
      'sampling:',
      '  - layer: 1',
      '    neighbor:',
      '      - 10',
      "    strategy: 'recent'",
      '    prop_time: False',
      '    history: 1',
      '    duration: 0',
      '    num_thread: 32',
      'memory:',
      "  - type: 'node'",
      '    dim_time: 100',
      "    deliver_to: 'self'",
      "    mail_combine: 'last'",
      "    memory_update: 'gru'",
      '    mailbox_size: 1',
      '    combine_node_feature: True',
      '    dim_out: 100',
      'gnn:',
      "  - arch: 'transformer_attention'",
      '    layer: 1',
      '    att_head: 2',
      '    dim_time: 100',
      '    dim_out: 100',
      'train:',
      '  - epoch: 10',
      '    batch_size: 600',
      '    lr: 0.0001',
      '    dropout: 0.1',
      '    att_dropout: 0.1',
      '    all_on_gpu: True',
    ].join('\n') + '\n');
  });

  it('TGL configs for the other presets, and a clear error for an unknown one', () => {
    const jodie = tglConfig({ ...TGN, preset: 'jodie', config: { ...TGN.config, updater: 'rnn', embedding: 'time-projection' } });
    expect(jodie.fileName).toBe('JODIE.yml');
    expect(jodie.yaml).toMatch(/sampling:\n {2}- no_sample: True\n {4}history: 1\n/);
    expect(jodie.yaml).toMatch(/memory_update: 'rnn'/);
    expect(jodie.yaml).toMatch(/gnn:\n {2}- arch: 'identity'\n {4}time_transform: 'JODIE'\n/);
    const apan = tglConfig({ ...TGN, preset: 'apan', config: { ...TGN.config, mailboxSize: 10, aggregator: 'attention', embedding: 'identity' } });
    expect(apan.yaml).toMatch(/no_neg: True/);
    expect(apan.yaml).toMatch(/deliver_to: 'neighbors'\n {4}mail_combine: 'last'\n {4}memory_update: 'transformer'\n {4}attention_head: 2\n {4}mailbox_size: 10\n {4}combine_node_feature: False/);
    const tgat = tglConfig({ ...TGN, preset: 'tgat', config: { ...TGN.config, memory: false, layers: 2 } });
    expect(tgat.yaml).toMatch(/layer: 2\n {4}neighbor:\n {6}- 10\n {6}- 10\n/);
    expect(tgat.yaml).toMatch(/memory:\n {2}- type: 'none'\n {4}dim_out: 0\n/);
    expect(tglConfig({ ...TGN, learningRate: 1e-5 }).yaml).toMatch(/lr: 1\.0e-05\n/);
    expect(() => tglConfig({ ...TGN, preset: 'dygformer' })).toThrow(/no TGL\/DyGLib mapping for model preset 'dygformer'; known presets: tgn, jodie, dyrep, apan, tgat, tgn-static/);
    expect(() => tglConfig({ ...TGN, batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });

  it('DistTGL: TGN with memory_update smart; none for models DistTGL cannot train', () => {
    const d = distTglConfig({ ...TGN, preset: 'tgn-static', config: { ...TGN.config, staticMemory: true } });
    expect(d.yaml).toMatch(/memory_update: 'smart'/);
    expect(d.yaml).toMatch(/train_neg_samples: 1\n {4}eval_neg_samples: 49\n/);
    expect(d.yaml).toMatch(/get_config\.py/);
    expect(distTglConfig({ ...TGN, preset: 'jodie', config: { ...TGN.config, updater: 'rnn' } }).yaml).toBeNull();
    const r = exportTgl(stream, { name: 'toy', model: TGN });
    expect(r.files.map((f) => f.name)).toEqual(['edges.csv', 'edge_features.npy', 'node_ids.csv', 'TGN.yml', 'disttgl.yml']);
    expect(r.notes.join('\n')).toMatch(/python train\.py --data toy --config DATA\/toy\/TGN\.yml/);
  });

  it('DyGLib command line for the model', () => {
    expect(dyglibCommand('toy', TGN)).toBe('python train_link_prediction.py --dataset_name toy --model_name TGN --num_neighbors 10 ' +
      '--num_layers 1 --num_heads 2 --time_feat_dim 100 --dropout 0.1 --batch_size 600 --learning_rate 0.0001 --num_epochs 10 --num_runs 1 --gpu 0');
  });
});
