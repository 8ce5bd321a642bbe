// The api role: the REST API under /v1 (and its OpenAPI page at /docs) on the process's HTTP
// server, the background task that follows the event log for its live event streams, and the
// listeners that tell its live stats and inbound streams when the rollups moved or mail came in.
import { startEventFeed } from '../events/index.ts';
import { startStatsFeed } from '../analytics/index.ts';
import { startInboundFeed } from '../inbound/index.ts';
import type { Role } from './role.ts';

export const apiRole: Role = {
  name: 'api',
  async start({ store, log }, parts) {
    const eventFeed = await startEventFeed({ db: store.db, notifier: store.notifier, log });
    parts.add('event log follower', () => eventFeed.stop());
    const statsFeed = await startStatsFeed({ notifier: store.notifier });
    parts.add('live stats', () => statsFeed.stop());
    const inboundFeed = await startInboundFeed({ notifier: store.notifier });
    parts.add('live inbound mail', () => inboundFeed.stop());
    return { http: { api: { eventFeed, statsFeed, inboundFeed } } };
  },
};
