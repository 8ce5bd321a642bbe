import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template.ts';

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
