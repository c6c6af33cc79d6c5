import { describe, expect, it } from 'vitest';
import type { ActivityResult } from '../../electron/engine/metrics/core/activity.js';
import type { CompareResult } from '../../electron/engine/metrics/core/compare.js';
import type { MembersResult } from '../../electron/engine/metrics/core/members.js';
import type { OnboardingResult } from '../../electron/engine/metrics/core/onboarding.js';
import type { RetentionResult } from '../../electron/engine/metrics/core/retention.js';
import type { StructureResult } from '../../electron/engine/metrics/core/structure.js';
import type {
  ActivitySeriesView, CompareView, MembersView, OnboardingView, RetentionView, StructureSummaryView,
} from '../../renderer/src/api/retention-types.js';

/** Compile-time conformance: each engine result must be assignable to the renderer's view of it. */
describe('retention/members/compare renderer types match the engine', () => {
  it('assigns every engine result type to its renderer view', () => {
    const checks = [
      ((r: RetentionResult): RetentionView => r),
      ((r: OnboardingResult): OnboardingView => r),
      ((r: MembersResult): MembersView => r),
      ((r: CompareResult): CompareView => r),
      ((r: ActivityResult): ActivitySeriesView => r),
      ((r: StructureResult): StructureSummaryView => r),
    ];
    for (const ok of checks) expect(ok).toBeTypeOf('function');
  });
});
