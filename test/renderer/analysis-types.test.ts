import { describe, expect, it } from 'vitest';
import { KOL_COMPONENTS as ENGINE_KOL_COMPONENTS } from '../../electron/engine/metrics/network/kol-score.js';
import { KOL_COMPONENTS } from '../../renderer/src/api/analysis-types.js';

/** The result types are shared (shared/metrics/); only the runtime component list is kept twice. */
describe('analysis renderer constants match the engine', () => {
  it('lists the KOL components in the engine order', () => {
    expect([...KOL_COMPONENTS]).toEqual([...ENGINE_KOL_COMPONENTS]);
  });
});
