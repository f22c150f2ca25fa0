import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS as engineDefaults } from '../engine/session/session.ts';
import { DEFAULT_SETTINGS } from './defaultSettings.ts';

describe('bridge default settings', () => {
  it("equal the engine session's DEFAULT_SETTINGS", () => {
    expect(DEFAULT_SETTINGS).toEqual(engineDefaults);
  });
});
