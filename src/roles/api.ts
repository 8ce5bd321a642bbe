// The api role: the REST API under /v1 (and its OpenAPI page at /docs) on the process's HTTP
// server. It runs no background task of its own.
import type { Role } from './role.ts';

export const apiRole: Role = {
  name: 'api',
  start: async () => ({ http: { api: true } }),
};
