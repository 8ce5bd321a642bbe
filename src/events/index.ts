// What other domains may use of events.
export * from './event-types.ts';
export { appendEvents, insertEventsStatement, listEmailEvents, type NewEvent } from './events.repository.ts';
