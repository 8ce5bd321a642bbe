// The api role: the REST API under /v1 (and its OpenAPI page at /docs) on the process's HTTP
// server, and the background task that follows the event log for its live streams.
import { startEventFeed } from '../events/index.ts';
import type { Role } from './role.ts';

export const apiRole: Role = {
  name: 'api',
  async start({ store, log }, parts) {
    const eventFeed = await startEventFeed({ db: store.db, notifier: store.notifier, log });
    parts.add('event log follower', () => eventFeed.stop());
    return { http: { api: { eventFeed } } };
  },
};
