import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from './csv-parser.ts';

const parseAll = (...chunks: string[]): CsvRecord[] => {
  const p = new CsvParser();
  return [...chunks.flatMap((c) => p.push(c)), ...p.end()];
};

describe('CsvParser', () => {
  it('reads plain records and numbers them by the line they start on', () => {
    expect(parseAll('email,name\nann@example.com,Ann\n')).toEqual([
      { fields: ['email', 'name'], line: 1 },
      { fields: ['ann@example.com', 'Ann'], line: 2 },
    ]);
  });

  it('keeps a comma and a line break inside a quoted field, and counts the lines it spans', () => {
    expect(parseAll('email,note\r\n"ann@example.com","Hello, Ann\r\nsee you"\r\nbob@example.com,x\r\n')).toEqual([
      { fields: ['email', 'note'], line: 1 },
      { fields: ['ann@example.com', 'Hello, Ann\r\nsee you'], line: 2 },
      { fields: ['bob@example.com', 'x'], line: 4 },
    ]);
  });

  it('turns a doubled quote inside a quoted field into one quote', () => {
    expect(parseAll('"say ""hi""",b')[0]!.fields).toEqual(['say "hi"', 'b']);
  });

  it('accepts LF, CRLF and lone CR line ends, skips blank lines, and reads a last line without a line end', () => {
    expect(parseAll('a\n\nb\r\n\r\nc\rd').map((r) => [r.fields[0], r.line])).toEqual([['a', 1], ['b', 3], ['c', 5], ['d', 6]]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseAll('a,,\n,b\n').map((r) => r.fields)).toEqual([['a', '', ''], ['', 'b']]);
  });

  it('reports a stray quote, text after a closing quote and an unterminated quote, then carries on', () => {
    const records = parseAll('a"b,c\n"x"y,z\nok,1\n"never closed,2\n');
    expect(records.map((r) => [r.line, r.error !== undefined])).toEqual([[1, true], [2, true], [3, false], [4, true]]);
    expect(records[3]!.error).toMatch(/unterminated/);
  });

  it('stops buffering a record past its size limit instead of holding the rest of the file', () => {
    const p = new CsvParser(100);
    const records = [...p.push(`"${'x'.repeat(1000)}`), ...p.push('x'.repeat(1000)), ...p.end()];
    expect(records).toHaveLength(1);
    expect(records[0]!.error).toMatch(/longer than 100/);
    expect(records[0]!.fields.join('').length).toBeLessThanOrEqual(100);
  });

  it('gives the same records however the text is split into chunks', () => {
    const text = 'email,note\r\n"a@b.co","x, ""y""\r\nz"\nc@d.co,\r"e\rf",g\n\n"h"';
    const whole = parseAll(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), text.length];
        const chunks = points.slice(1).map((end, i) => text.slice(points[i], end));
        expect(parseAll(...chunks)).toEqual(whole);
      }),
    );
  });
});
