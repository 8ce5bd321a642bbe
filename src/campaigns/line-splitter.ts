// Splits streamed text into numbered lines (LF or CRLF) without holding more than one line.

export type Line = { text: string; line: number; error?: string };

/** A line longer than `maxLineChars` comes back with `error` and its content dropped. */
export class LineSplitter {
  private partial = '';
  private tooLong = false;
  private line = 0;

  constructor(private readonly maxLineChars = 1024 * 1024) {}

  push(text: string): Line[] {
    const out: Line[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.take(text.slice(start, nl));
      out.push(this.finish());
      start = nl + 1;
    }
    this.take(text.slice(start));
    return out;
  }

  end(): Line[] {
    return this.partial || this.tooLong ? [this.finish()] : [];
  }

  private take(piece: string): void {
    if (this.tooLong) return;
    if (this.partial.length + piece.length > this.maxLineChars) {
      this.tooLong = true;
      this.partial = '';
    } else this.partial += piece;
  }

  private finish(): Line {
    this.line++;
    const text = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    const result: Line = this.tooLong ? { text: '', line: this.line, error: `line longer than ${this.maxLineChars} characters` } : { text, line: this.line };
    this.partial = '';
    this.tooLong = false;
    return result;
  }
}
