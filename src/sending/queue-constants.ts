// Values shared by the producers of queue rows (API) and their consumer (delivery worker).

/** Lower is claimed first: a due transactional email does not wait behind campaign mail. */
export const PRIORITY = { transactional: 0, campaign: 1 } as const;

/** NOTIFY channel that wakes idle workers when new mail is due. */
export const QUEUE_CHANNEL = 'sendtrail_queue';
