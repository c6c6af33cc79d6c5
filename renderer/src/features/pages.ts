import type { ComponentType } from 'react';
import type { PageKey } from '../state/app-state';
import { LibraryPage } from './library/LibraryPage';
import { MessagesPage } from './messages/MessagesPage';

/** Which component renders each page. Pages not registered yet render nothing. */
export const PAGE_COMPONENTS: Partial<Record<PageKey, ComponentType>> = {
  library: LibraryPage,
  messages: MessagesPage,
};
