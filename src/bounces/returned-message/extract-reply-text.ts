// Owns cutting a reply down to what the person wrote: the quoted original and signature go.

/** Lines that start the quoted original in the common clients (Gmail, Apple Mail, Outlook, Thunderbird). */
const QUOTE_HEADERS: readonly { pattern: RegExp; example: string }[] = [
  { pattern: /^On\b.{0,300}?\bwrote:\s*$/m, example: 'On Tue, 3 Mar 2026 at 10:00, Ann <ann@example.org> wrote:' },
  { pattern: /^Le\b.{0,300}?\ba écrit\s*:\s*$/m, example: 'Le mar. 3 mars 2026 à 10:00, Ann <ann@example.org> a écrit :' },
  { pattern: /^Am\b.{0,300}?\bschrieb\b.{0,200}?:\s*$/m, example: 'Am 03.03.2026 um 10:00 schrieb Ann <ann@example.org>:' },
  { pattern: /^-{2,}\s*Original Message\s*-{2,}\s*$/im, example: '-----Original Message-----' },
  { pattern: /^_{10,}\s*\n\s*From:/m, example: '________________________________\nFrom: Ann' },
  { pattern: /^From:\s.{1,300}\n(?:Sent|Date):\s/m, example: 'From: Ann <ann@example.org>\nSent: Tuesday, March 3, 2026 10:00' },
];

export function extractReplyText(text: string): string {
  let end = text.length;
  for (const quote of QUOTE_HEADERS) {
    const match = quote.pattern.exec(text);
    if (match && match.index < end) end = match.index;
  }
  const lines = text.slice(0, end).replace(/\r\n?/g, '\n').split('\n');
  // "> " lines are quoted (RFC 3676 §4.5); "-- " starts a signature (RFC 3676 §4.3).
  const signature = lines.findIndex((line) => line === '-- ');
  const kept = (signature >= 0 ? lines.slice(0, signature) : lines).filter((line) => !/^\s*>/.test(line));
  return kept.join('\n').trim();
}
