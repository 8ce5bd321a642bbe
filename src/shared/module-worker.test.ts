import { describe, expect, it } from 'vitest';
import { moduleBeside } from './module-worker.ts';

describe('moduleBeside', () => {
  it('names the sibling module with the caller\'s own extension, so dist/ threads run dist/ code', () => {
    expect(moduleBeside('file:///app/dist/delivery/transports/smtp-thread-client.js', './smtp-thread').href).toBe(
      'file:///app/dist/delivery/transports/smtp-thread.js',
    );
    expect(moduleBeside('file:///app/src/tracking/commit-thread-client.ts', './commit-thread').href).toBe('file:///app/src/tracking/commit-thread.ts');
  });
});
