/** Topic, connection-graph and KOL metrics. */
export const networkMetrics = {} as const;
