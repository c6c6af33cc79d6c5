import type { ComponentType } from 'react';
import type { PageKey } from '../state/app-state';
import { LibraryPage } from './library/LibraryPage';
import { MessagesPage } from './messages/MessagesPage';
import { RetentionPage } from './retention/RetentionPage';
import { MembersPage } from './members/MembersPage';
import { ComparePage } from './compare/ComparePage';
import { OverviewPage } from './overview/OverviewPage';
import { ActivityPage } from './activity/ActivityPage';
import { TopicsPage } from './topics/TopicsPage';
import { NetworkPage } from './network/NetworkPage';
import { KolPage } from './kol/KolPage';

/** Which component renders each page. Pages not registered yet render nothing. */
export const PAGE_COMPONENTS: Partial<Record<PageKey, ComponentType>> = {
  library: LibraryPage,
  messages: MessagesPage,
  retention: RetentionPage,
  members: MembersPage,
  compare: ComparePage,
  overview: OverviewPage,
  activity: ActivityPage,
  topics: TopicsPage,
  network: NetworkPage,
  kol: KolPage,
};
