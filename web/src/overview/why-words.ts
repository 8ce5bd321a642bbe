// The classifier's reasons for not counting a hit (its `why`), in words for people who never read
// the classifier: what the machine was and why it is not a person.
const WORDS: Record<string, string> = {
  apple_mpp: 'Apple Mail Privacy Protection',
  proxy_prefetch: 'image proxy prefetch',
  scanner: 'security scanner',
  network: 'mail security gateway',
  prefetch_window: 'fetched within seconds of delivery',
  prefetch_header: 'browser prefetch',
  burst: 'every link within seconds (link scanner)',
  honeypot: 'followed a hidden link only machines see',
  head_request: 'link checker (HEAD request)',
  backfill_withdrawn: 'inferred open withdrawn',
  backfill_replaced: 'inferred open replaced by the real one',
  gateway_taint: 'same address and browser as a scan of this email',
  rescan: 'a mail gateway scanning again before anyone read it',
  coalesced: 'repeat within seconds',
};

export const whyInWords = (why: string) => WORDS[why] ?? why.replaceAll('_', ' ');
