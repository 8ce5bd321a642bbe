// What the HTTP edge and the delivery worker may use of campaigns.
export { createCampaign, type CreateCampaignInput, type CreatedCampaign } from './create-campaign.ts';
export { addRecipients, type AddRecipientsOptions, type AddedRecipients } from './add-recipients.ts';
export { sendCampaign } from './send-campaign.ts';
export { cancelCampaign, type CancelledCampaign } from './cancel-campaign.ts';
export { campaignLinks, campaignStats, type CampaignLink, type CampaignStats } from './campaign-stats.ts';
export { campaignBounces, MAX_BOUNCES_READ, type CampaignBounces } from './campaign-bounces.ts';
export { getCampaign, listCampaignPage } from './list-campaigns.ts';
export { loadCampaignContent, type CampaignContent } from './campaigns.repository.ts';
export { campaignStatus, type CampaignStatus } from './campaign-status.ts';
export { type CampaignJson, type CampaignSummaryJson } from './campaign-view.ts';
export { type RecipientsFormat, type BadLine } from './parse-recipients-stream.ts';
export { MAX_INLINE_RECIPIENTS } from './campaign-limits.ts';
export { expandNextBatch, startCampaignExpander, type CampaignExpander } from './expand-campaigns.ts';
export { pauseCampaign, pauseStragglers, resumeCampaign, type PausedCampaign, type ResumedCampaign } from './pause-campaign.ts';
