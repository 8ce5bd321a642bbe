// What other domains and the composition root may use of tracking.
export type * from './hit.ts';
export { addTracking, pixelPath, clickPath, unsubscribePath, type TrackingSettings, type TrackedContent } from './add-tracking.ts';
export { signToken, verifyToken, trackingKeys, type TokenPayload } from './tracking-token.ts';
export { startHitRecorder, type CommitBatch, type HitRecorder, type HitRecorderOptions } from './hit-recorder.ts';
export { startCommitThread, type CommitThread } from './commit-thread-client.ts';
export { hitFromJson, hitToJson, type RecordedHit } from './recorded-hit.ts';
export { hitFromRequest, storableHeader } from './request-hit.ts';
export { unsubscribeRecipient } from './unsubscribe-recipient.ts';
export { startTrackingRecorder, startHitCommitter, maxCommitBatchOf, type HitCommitter, type Spooling, type TrackingRecorderOptions } from './start-tracking-recorder.ts';
