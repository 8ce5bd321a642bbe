// What the generated mail looks like, shared by the bulk generator (SQL) and the live writer (JS):
// recipients' domains, sending domains, tags, links, and the real user agents of the mail apps,
// browsers, proxies and scanners that open and click, so that the clients rollup sees real ones.

/** Recipient domains and their share of the emails; the kind decides which apps open them. */
export const RECIPIENT_DOMAINS = [
  { domain: 'gmail.com', share: 0.4, kind: 'gmail' },
  { domain: 'outlook.com', share: 0.08, kind: 'microsoft' },
  { domain: 'hotmail.com', share: 0.07, kind: 'microsoft' },
  { domain: 'yahoo.com', share: 0.12, kind: 'yahoo' },
  { domain: 'icloud.com', share: 0.13, kind: 'apple' },
  { domain: 'acme-corp.com', share: 0.07, kind: 'company' },
  { domain: 'globex.io', share: 0.05, kind: 'company' },
  { domain: 'initech.de', share: 0.04, kind: 'company' },
  { domain: 'umbrella-group.co.uk', share: 0.04, kind: 'company' },
] as const;
export type DomainKind = (typeof RECIPIENT_DOMAINS)[number]['kind'];

/** Company domains' providers as an MX lookup would have stored them (mailbox_providers). */
export const COMPANY_PROVIDERS = [
  { domain: 'acme-corp.com', provider: 'microsoft', mx: 'acmecorp-com.mail.protection.outlook.com' },
  { domain: 'globex.io', provider: 'gmail', mx: 'aspmx.l.google.com,alt1.aspmx.l.google.com' },
  { domain: 'initech.de', provider: 'other', mx: 'mx01.initech.de,mx02.initech.de' },
  { domain: 'umbrella-group.co.uk', provider: 'other', mx: 'eu-smtp-inbound-1.mimecast.com,eu-smtp-inbound-2.mimecast.com' },
] as const;

/** Campaigns alternate between two sending domains; transactional mail has a third. */
export const CAMPAIGN_FROM = ['Example Shop <news@news.example-shop.com>', 'Example Shop <offers@mail.example-shop.com>'] as const;
export const TRANSACTIONAL_FROM = 'Example Shop <no-reply@notify.example-shop.com>';
export const CAMPAIGN_TAGS = [['newsletter'], ['promo', 'spring-sale'], ['newsletter', 'weekly'], ['promo'], ['product-launch']] as const;
/** Transactional tags by share; the rest have none. */
export const TRANSACTIONAL_TAGS = [
  { tags: ['receipt'], share: 0.4 },
  { tags: ['password-reset'], share: 0.2 },
  { tags: ['welcome'], share: 0.15 },
] as const;
export const LINKS_PER_EMAIL = 5;
export const linkUrl = (campaign: string, link: number) =>
  `https://www.example-shop.com/${['sale', 'new-in', 'bestsellers', 'account', 'stores'][link]}?utm_source=sendtrail&utm_medium=email&utm_campaign=${campaign}`;

// Real user agents (as sent by these apps and proxies in 2024-2025).
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const YAHOO_PROXY = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';
const APPLE_MAIL_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const APPLE_MAIL_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const OUTLOOK_WORD = 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)';
const OUTLOOK_DESKTOP = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)';
const OUTLOOK_IOS = 'Outlook-iOS/723.4027091.prod.iphone (4.2424.0)';
const THUNDERBIRD = 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.12.2';
const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const EDGE_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87';
const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

/** The app a person opens with, by recipient kind (one per person, picked by a uniform draw). */
export const OPEN_UAS: Record<DomainKind, readonly string[]> = {
  gmail: [GMAIL_PROXY],
  yahoo: [YAHOO_PROXY, YAHOO_PROXY, YAHOO_PROXY, CHROME_WIN],
  apple: [APPLE_MAIL_IOS, APPLE_MAIL_IOS, APPLE_MAIL_MAC],
  microsoft: [OUTLOOK_WORD, OUTLOOK_IOS, CHROME_WIN, EDGE_WIN],
  company: [OUTLOOK_WORD, OUTLOOK_WORD, OUTLOOK_DESKTOP, APPLE_MAIL_MAC, THUNDERBIRD],
};
/** The browser a person's clicks open in, by the same draw. */
export const CLICK_UAS: Record<DomainKind, readonly string[]> = {
  gmail: [CHROME_WIN, CHROME_ANDROID, SAFARI_IPHONE],
  yahoo: [CHROME_WIN, SAFARI_IPHONE, CHROME_ANDROID, FIREFOX_WIN],
  apple: [SAFARI_IPHONE, SAFARI_IPHONE, SAFARI_MAC],
  microsoft: [EDGE_WIN, SAFARI_IPHONE, CHROME_WIN, EDGE_WIN],
  company: [EDGE_WIN, EDGE_WIN, CHROME_WIN, SAFARI_MAC, FIREFOX_WIN],
};
/** Apple Mail Privacy Protection's prefetch, and a mail gateway's scan with a browser's UA. */
export const MPP_UA = 'Mozilla/5.0';
export const SCANNER_UA = CHROME_WIN;

/**
 * Per email, the chances of each fate and engagement (of delivered emails), tuned so that the
 * average email has about 5 events.
 */
export const RATES = {
  rejected: 0.003,
  failed: 0.001,
  hardBounce: 0.015,
  softBounce: 0.01,
  deferred: 0.05,
  opener: 0.5,
  /** Extra opens per opener: floor of an exponential draw with this mean. */
  repeatOpensMean: 2.4,
  /** A repeat open within a minute is coalesced (not counted, why coalesced). */
  coalesced: 0.2,
  clickerIfOpener: 0.22,
  clickerIfNot: 0.04,
  repeatClicksMean: 0.7,
  mppPrefetch: 0.9,
  scanned: 0.35,
  headRequest: 0.1,
  reply: 0.004,
  autoReply: 0.3,
  complaint: 0.0005,
  unsubscribe: 0.003,
} as const;
