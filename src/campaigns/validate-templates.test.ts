import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../sending/index.ts';
import { assertTemplatesParse, findTemplateProblems } from './validate-templates.ts';

describe('template validation', () => {
  const accepted = ['Hi {{data.first}}', 'Hi {{ data.first }} <{{email}}>', '{{data.plan.name}} and {{ data.a-b_c }}', 'no placeholders', 'a } and { brace'];

  it.each(accepted)('accepts %j, and renderTemplate fills every placeholder in it', (template) => {
    expect(findTemplateProblems('html', template)).toEqual([]);
    expect(renderTemplate(template, { email: 'a@b.co', data: {} }, 'text')).not.toContain('{{');
  });

  it.each([
    ['{{ first }}', /expected/],
    ['{{data}}', /expected/],
    ['{{data.first', /unclosed/],
    ['Hi {{data.first}} {{ user.name }}', /expected/],
  ])('refuses %j', (template, reason) => {
    const problems = findTemplateProblems('subject', template);
    expect(problems[0]!.reason).toMatch(reason);
  });

  it('names the field and the placeholder in a 422 invalid_template', () => {
    expect(() => assertTemplatesParse({ subject: 'ok', html: '<p>{{ name }}</p>' })).toThrowError(
      expect.objectContaining({ code: 'invalid_template', message: expect.stringContaining('html') }),
    );
  });
});
