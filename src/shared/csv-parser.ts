// An incremental RFC 4180 CSV parser: quoted fields with commas, line breaks and "" escapes;
// CRLF, LF or CR line ends; each record carries the line it starts on. No CSV package is installed.

export type CsvRecord = { fields: string[]; line: number; error?: string };

const COMMA = 44, QUOTE = 34, CR = 13, LF = 10;
type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

/**
 * Feed text with push() as it arrives, then call end(). Blank lines are skipped. A malformed record
 * (stray quote, text after a closing quote, unterminated quote, longer than `maxRecordChars`) is
 * returned with `error` and parsing resumes at the next record, so every bad line can be reported.
 */
export class CsvParser {
  private state: State = 'fieldStart';
  private fields: string[] = [];
  private field = '';
  private runStart = -1;
  private recordChars = 0;
  private inRecord = false;
  private error: string | undefined;
  private line = 1;
  private recordLine = 1;
  private crPending = false;

  constructor(private readonly maxRecordChars = 64 * 1024) {}

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      this.countLine(c);
      if (!this.inRecord) {
        this.inRecord = true;
        this.recordLine = this.line - (c === LF ? 1 : 0);
      }
      this.step(c, text, i, out);
    }
    this.flushRun(text, text.length);
    return out;
  }

  end(): CsvRecord[] {
    if (this.crPending) this.line++;
    if (!this.inRecord) return [];
    if (this.state === 'quoted') this.fail('unterminated quoted field');
    const out: CsvRecord[] = [];
    this.endRecord(out);
    return out;
  }

  // A line ends at LF, or at a CR not followed by LF (CRLF counts once).
  private countLine(c: number): void {
    if (this.crPending) {
      this.crPending = false;
      if (c !== LF) this.line++;
    }
    if (c === LF) this.line++;
    else if (c === CR) this.crPending = true;
  }

  private step(c: number, text: string, i: number, out: CsvRecord[]): void {
    switch (this.state) {
      case 'fieldStart':
        if (c === QUOTE) this.state = 'quoted';
        else if (c === COMMA) this.endField();
        else if (c === CR || c === LF) this.endRecord(out);
        else this.startRun(i, 'unquoted');
        return;
      case 'unquoted':
        if (c === COMMA || c === CR || c === LF || c === QUOTE) this.flushRun(text, i);
        if (c === COMMA) this.endField();
        else if (c === CR || c === LF) this.endRecord(out);
        else if (c === QUOTE) this.fail('a quote inside an unquoted field (quote the whole field and double the quote)');
        else if (this.runStart < 0) this.runStart = i;
        return;
      case 'quoted':
        if (c === QUOTE) {
          this.flushRun(text, i);
          this.state = 'quoteInQuoted';
        } else if (this.runStart < 0) this.runStart = i;
        return;
      case 'quoteInQuoted':
        if (c === QUOTE) {
          this.append('"');
          this.state = 'quoted';
        } else if (c === COMMA) this.endField();
        else if (c === CR || c === LF) this.endRecord(out);
        else {
          this.fail('text after the closing quote of a field');
          this.startRun(i, 'unquoted');
        }
    }
  }

  private startRun(i: number, state: State): void {
    this.state = state;
    this.runStart = i;
  }

  private flushRun(text: string, end: number): void {
    if (this.runStart < 0) return;
    this.append(text.slice(this.runStart, end));
    this.runStart = -1;
  }

  // Content past the size limit is dropped: an unterminated quote must not buffer a whole file.
  private append(s: string): void {
    this.recordChars += s.length;
    if (this.recordChars > this.maxRecordChars) this.fail(`record longer than ${this.maxRecordChars} characters`);
    else this.field += s;
  }

  private fail(message: string): void {
    this.error ??= message;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'fieldStart';
  }

  private endRecord(out: CsvRecord[]): void {
    this.endField();
    const blank = this.fields.length === 1 && this.fields[0] === '' && !this.error;
    if (!blank) out.push(this.error ? { fields: this.fields, line: this.recordLine, error: this.error } : { fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.recordChars = 0;
    this.error = undefined;
    this.inRecord = false;
  }
}
