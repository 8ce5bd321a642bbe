// Values shared by the producers of queue rows (API) and their consumer (delivery worker).

/** Lower sorts first: transactional mail outranks campaign mail (DESIGN.md section 2). */
export const PRIORITY = { transactional: 0, campaign: 1 } as const;

/** NOTIFY channel that wakes idle workers when new mail is due. */
export const QUEUE_CHANNEL = 'sendtrail_queue';
