import { describe, expect, it } from 'vitest';
import { missingDataFields, renderTemplate, templateDataFields } from './render-template.ts';

describe('renderTemplate', () => {
  it('fills data fields and the recipient address', () => {
    const vars = { email: 'ann@example.com', data: { first: 'Ann', plan: { name: 'Pro' } } };
    expect(renderTemplate('Hi {{data.first}} ({{ email }}), {{data.plan.name}}', vars, 'text')).toBe(
      'Hi Ann (ann@example.com), Pro',
    );
  });

  it('renders a missing field as empty rather than leaving the placeholder', () => {
    expect(renderTemplate('Hi {{data.first}}!', { email: 'a@b.co', data: null }, 'text')).toBe('Hi !');
  });

  it('escapes recipient data in HTML so it cannot inject markup', () => {
    const vars = { email: 'a@b.co', data: { first: '<script>x</script>' } };
    expect(renderTemplate('<p>{{data.first}}</p>', vars, 'html')).toBe('<p>&lt;script&gt;x&lt;/script&gt;</p>');
  });

  it('does not walk into inherited properties', () => {
    expect(renderTemplate('{{data.constructor}}', { email: 'a@b.co', data: {} }, 'text')).toBe('');
  });
});

describe('templateDataFields and missingDataFields', () => {
  const fields = templateDataFields('Hi {{data.first}}', '<p>{{ data.first }} of {{data.address.city}}, {{email}} {{unsubscribe_url}}</p>', null);

  it('name each data placeholder of the templates once', () => {
    expect(fields).toEqual(['data.first', 'data.address.city']);
  });

  it('find the fields renderTemplate would leave empty: absent, null, or under an absent parent', () => {
    expect(missingDataFields(fields, { first: 'Ann', address: { city: 'Oslo' } })).toEqual([]);
    expect(missingDataFields(fields, null)).toEqual(['data.first', 'data.address.city']);
    expect(missingDataFields(fields, { first: null, address: 'Oslo' })).toEqual(['data.first', 'data.address.city']);
    expect(missingDataFields(fields, { first: '', address: { city: 0 } })).toEqual([]);
    // Whatever it reports missing renders as empty, and the rest does not.
    for (const data of [null, { first: null }, { first: 'Ann' }, { address: { city: 'Oslo' } }]) {
      const missing = missingDataFields(fields, data);
      for (const field of fields) expect(renderTemplate(`{{${field}}}`, { email: 'a@b.co', data }, 'text') === '').toBe(missing.includes(field));
    }
  });
});
