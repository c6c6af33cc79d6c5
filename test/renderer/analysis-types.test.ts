import { describe, expect, it } from 'vitest';
import type { ActivityResult } from '../../electron/engine/metrics/core/activity.js';
import type { ConversationsResult } from '../../electron/engine/metrics/core/conversations.js';
import type { OverviewResult } from '../../electron/engine/metrics/core/overview.js';
import type { StructureArgs, StructureResult } from '../../electron/engine/metrics/core/structure.js';
import type { CooccurrenceResult } from '../../electron/engine/metrics/network/cooccurrence.js';
import type { GraphResult } from '../../electron/engine/metrics/network/graph.js';
import type { EdgeType } from '../../electron/engine/metrics/network/interactions.js';
import type { KeywordsResult } from '../../electron/engine/metrics/network/keywords.js';
import type { KolResult } from '../../electron/engine/metrics/network/kol.js';
import { KOL_COMPONENTS as ENGINE_KOL_COMPONENTS } from '../../electron/engine/metrics/network/kol-score.js';
import type { TopTermsByPeriodResult } from '../../electron/engine/metrics/network/top-terms-by-period.js';
import type { TrendingResult } from '../../electron/engine/metrics/network/trending.js';
import {
  KOL_COMPONENTS, type ActivityView, type ConversationsView, type CooccurrenceView, type EdgeTypeView, type GraphView, type KeywordsView,
  type KolView, type OverviewView, type StructureArgsView, type StructureView, type TopTermsByPeriodView, type TrendingView,
} from '../../renderer/src/api/analysis-types.js';

/** Compile-time conformance: each engine result must be assignable to the renderer's view of it. */
describe('analysis renderer types match the engine', () => {
  it('assigns every engine result type to its renderer view', () => {
    const checks = [
      ((r: OverviewResult): OverviewView => r),
      ((r: ActivityResult): ActivityView => r),
      ((r: StructureResult): StructureView => r),
      ((a: StructureArgsView): StructureArgs => a),
      ((r: ConversationsResult): ConversationsView => r),
      ((r: KeywordsResult): KeywordsView => r),
      ((r: TrendingResult): TrendingView => r),
      ((r: TopTermsByPeriodResult): TopTermsByPeriodView => r),
      ((r: CooccurrenceResult): CooccurrenceView => r),
      ((r: GraphResult): GraphView => r),
      ((r: KolResult): KolView => r),
      ((t: EdgeType): EdgeTypeView => t),
      ((t: EdgeTypeView): EdgeType => t),
    ];
    for (const ok of checks) expect(ok).toBeTypeOf('function');
  });

  it('lists the KOL components in the engine order', () => {
    expect([...KOL_COMPONENTS]).toEqual([...ENGINE_KOL_COMPONENTS]);
  });
});
