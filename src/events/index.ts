// What other domains may use of events: the event vocabulary, an email's status and its forward-only moves.
export * from './event-types.ts';
export * from './email-status.ts';
export { appendEvents, insertEventsStatement, listEmailEvents, type NewEvent } from './events.repository.ts';
