import { activity } from './activity.js';
import { compare } from './compare.js';
import { conversations } from './conversations.js';
import { members } from './members.js';
import { onboarding } from './onboarding.js';
import { overview } from './overview.js';
import { retention } from './retention.js';
import { structure } from './structure.js';

/** Core metrics (overview, activity, members, conversations, structure, retention, onboarding, comparison). */
export const coreMetrics = {
  overview,
  activity,
  members,
  conversations,
  structure,
  retention,
  onboarding,
  compare,
} as const;
