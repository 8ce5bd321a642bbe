// Owns splitMbox: cuts an mbox file (RFC 4155) into its messages; a plain message comes back alone.

// RFC 4155 §2: each message starts with a line "From " at the start of a line, after a blank line or
// at the start of the file. Escaped ">From " lines in bodies are left alone.
const SEPARATOR = /^From [^\r\n]*\r?\n/;
const NEXT_SEPARATOR = /\r?\n\r?\nFrom [^\r\n]*\r?\n/g;
// A "From " line that starts a message is followed by a header line, not by body text.
const HEADER_LINE = /^[!-9;-~]+:/;

export function splitMbox(raw: Buffer): Buffer[] {
  const text = raw.toString('latin1');
  if (!SEPARATOR.test(text)) return [raw];
  const starts: number[] = [];
  const first = SEPARATOR.exec(text);
  if (first) starts.push(first[0].length);
  for (const match of text.matchAll(NEXT_SEPARATOR)) {
    const bodyStart = match.index + match[0].length;
    if (HEADER_LINE.test(text.slice(bodyStart, bodyStart + 200))) starts.push(bodyStart);
  }
  const messages: Buffer[] = [];
  for (let i = 0; i < starts.length; i += 1) {
    const start = starts[i] as number;
    const next = starts[i + 1];
    // The end of this message is the blank line before the next "From " line.
    const end = next === undefined ? text.length : text.lastIndexOf('From ', next - 1);
    const message = raw.subarray(start, end).toString('latin1').replace(/(?:\r?\n)+$/, '\n');
    messages.push(Buffer.from(message, 'latin1'));
  }
  return messages.filter((message) => message.length > 0);
}
