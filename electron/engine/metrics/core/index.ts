/** Core metrics (overview, activity, members, conversations, structure, retention, onboarding, comparison). */
export const coreMetrics = {} as const;
