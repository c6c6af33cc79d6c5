import { cooccurrence } from './cooccurrence.js';
import { graph } from './graph.js';
import { keywords } from './keywords.js';
import { kol } from './kol.js';
import { termMessages } from './term-messages.js';
import { topTermsByPeriod } from './top-terms-by-period.js';
import { trending } from './trending.js';

/** Topic, connection-graph and KOL metrics. */
export const networkMetrics = { keywords, topTermsByPeriod, trending, cooccurrence, termMessages, graph, kol } as const;
