import { createContext, useContext } from 'react';
import type { Filters } from '../../../shared/filters';
import type { GroupInfo } from '../../../shared/api';
import type { EngineClient } from '../api/client';

export type PageKey = 'library' | 'overview' | 'activity' | 'topics' | 'network' | 'kol' | 'retention' | 'members' | 'messages' | 'compare';
export const PAGES: PageKey[] = ['library', 'overview', 'activity', 'topics', 'network', 'kol', 'retention', 'members', 'messages', 'compare'];

/** A drill-down into the message browser (from a heatmap cell, a term, a member …). */
export interface MessageDrill {
  search?: string;
  term?: string;
  memberId?: number;
  memberName?: string;
  weekday?: number;
  hour?: number;
  day?: string;
}

export interface AppState {
  engine: EngineClient;
  groups: GroupInfo[];
  /** Re-reads the group list and makes every page fetch its data again (after an import or an identity change). */
  refreshGroups(): Promise<void>;
  /** Bumped by refreshGroups: part of every metric request's identity, so stale results are refetched. */
  dataVersion: number;
  /** The group the analysis pages look at. */
  groupId: number | null;
  setGroupId(id: number): void;
  /** Global filters (date range, excluded members); `groups` is set from groupId by `filtersFor`. */
  filters: Filters;
  setFilters(f: Filters): void;
  page: PageKey;
  go(page: PageKey, drill?: MessageDrill): void;
  drill: MessageDrill | null;
}

export const AppContext = createContext<AppState | null>(null);
export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside AppContext');
  return s;
}

/** The filters for one group: the global filters narrowed to that group. */
export const filtersFor = (f: Filters, groupId: number | null): Filters => (groupId === null ? f : { ...f, groups: [groupId] });
