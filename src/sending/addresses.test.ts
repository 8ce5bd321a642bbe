import { describe, expect, it } from 'vitest';
import { parseMailbox } from './addresses.ts';

describe('parseMailbox', () => {
  it('accepts a bare address and a named one, lower-casing the address', () => {
    expect(parseMailbox('Ann@Example.com', 'to')).toEqual({ name: '', address: 'ann@example.com' });
    expect(parseMailbox('Ann Lee <ann@example.com>', 'from')).toEqual({ name: 'Ann Lee', address: 'ann@example.com' });
  });

  it.each(['', 'ann', 'ann@', '@example.com', 'ann@example', 'a@b.c, d@e.f', 'ann\u0000x@example.com', 'ann\r\n@example.com', 'x'.repeat(70) + '@a.co'])(
    'refuses %j with invalid_recipient naming the field',
    (input) => {
      expect(() => parseMailbox(input, 'to[0]')).toThrowError(expect.objectContaining({ code: 'invalid_recipient' }));
    },
  );
});
