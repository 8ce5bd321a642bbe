// An uploaded body as UTF-8 text, chunk by chunk: a character split across two chunks is decoded
// whole, and a leading byte order mark, which spreadsheet exports often write, is dropped (it is
// not part of the first header).
import { StringDecoder } from 'node:string_decoder';

export async function* textChunks(body: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of body) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
