// How tracking is added at send time, from the configuration: the worker adds it, and the api role
// renders an email's content again with the same settings (the dashboard's Content tab).
import type { Config } from '../config/schema.ts';
import { publicUrlOf } from '../config/public-urls.ts';
import { trackingKeys, type TrackingSettings } from '../tracking/index.ts';

/** Serializable, so rendering can move to a thread. */
export function trackingSettingsOf(config: Config, secret: string): TrackingSettings {
  return {
    publicUrl: publicUrlOf(config),
    signingKey: trackingKeys(config.TRACKING_KEYS, secret)[0]!,
    bounceDomain: config.BOUNCE_DOMAIN,
    honeypot: config.TRACKING_HONEYPOT,
  };
}
