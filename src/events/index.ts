// What other domains may use of events: the event vocabulary, an email's status and its forward-only moves.
export * from './event-types.ts';
export * from './email-status.ts';
export { appendEvents, appendEventsStatement, EVENTS_CHANNEL, type NewEvent } from './append-events.ts';
export { listEmailEvents } from './events.repository.ts';
export { readLog, readLogEvents, readLogWithEmails, endOfLog, cursorAfterEvent, isBefore, type LogCursor, type LoggedEvent, type LoggedEventWithEmail, type LogEvent, type LogFilter } from './event-log.repository.ts';
export { startEventFeed, type EventFeed, type FeedListener } from './event-feed.ts';
export { storedVerdict, reclassificationOf, reclassifiedEvent, verdictsInForce, type HitVerdict, type Reclassification } from './hit-verdicts.ts';
