import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import type { TrainingSnapshot } from '../shared/training.ts';
import type { BridgeState } from '../workers/bridgeApi.ts';
import { onlySnapshotChanged } from './useBridge.ts';

const base: BridgeState = {
  status: 'playing', stage: null, backend: null, dataset: null, importProgress: null, error: null, snapshot: null, timeline: null, settings: DEFAULT_SETTINGS, notice: null,
};
// only identity matters here
const snapshot = (version: number): TrainingSnapshot => ({ version }) as unknown as TrainingSnapshot;

describe('onlySnapshotChanged (which bridge updates render as a transition)', () => {
  it('a new snapshot with everything else the same object: yes', () => {
    const a = { ...base, snapshot: snapshot(1) };
    expect(onlySnapshotChanged(a, { ...a, snapshot: snapshot(2) })).toBe(true);
  });

  it('the same snapshot, or a snapshot with a status change, or a new settings object: no', () => {
    const a = { ...base, snapshot: snapshot(1) };
    expect(onlySnapshotChanged(a, { ...a })).toBe(false);
    expect(onlySnapshotChanged(a, { ...a, snapshot: snapshot(2), status: 'ready' })).toBe(false);
    expect(onlySnapshotChanged(a, { ...a, snapshot: snapshot(2), settings: { ...DEFAULT_SETTINGS } })).toBe(false);
  });
});
