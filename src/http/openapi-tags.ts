// The OpenAPI document's tags, in the order /docs shows them, each with what it groups.
export const OPENAPI_TAGS = [
  { name: 'emails', description: 'Sending email, the email log, an email\'s events, cancelling.' },
  { name: 'campaigns', description: 'Campaigns: recipients, sending, stats and links.' },
  { name: 'stats', description: 'Totals and time series from the rollups of the event log.' },
  { name: 'events', description: 'The live event stream.' },
  { name: 'suppressions', description: 'Addresses the project no longer sends to.' },
  { name: 'inbound', description: 'Mail received by the inbound server: bounces, complaints, replies, unmatched mail.' },
  { name: 'domains', description: 'Sending domains: their DKIM keys (kept on the server) and the DNS records to publish.' },
  { name: 'api-keys', description: 'The project\'s API keys: list with last use, create (shown once), revoke.' },
  { name: 'webhooks', description: 'Webhook endpoints: every event pushed out, signed (Standard Webhooks), retried; delivery logs, replays, test events.' },
  { name: 'projects', description: 'The project\'s settings: how long bodies, events and raw inbound mail are kept (retention).' },
  { name: 'session', description: 'Signing in to the dashboard and out.' },
  { name: 'users', description: 'The installation\'s dashboard users (admins only).' },
];
