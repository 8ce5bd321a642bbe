import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { ensureDefaultProject } from '../projects/default-project.ts';
import { newId } from '../shared/ids.ts';
import { createCampaign, loadCampaignContent } from './index.ts';

describe.each(STORE_KINDS)('loadCampaignContent on %s', (kind) => {
  let store: TestStore;
  let projectId: string;
  beforeAll(async () => {
    store = await createTestStore(kind);
    projectId = (await ensureDefaultProject(store.db)).projectId;
  });
  afterAll(async () => store?.close());

  it('gives the delivery worker the template content its campaign emails lack', async () => {
    const created = await createCampaign(store.db, projectId, {
      name: 'Spring', from: 'Shop <news@shop.example>', subject: 'Hi {{data.first}}', html: '<p>{{data.first}}</p>', text: 'Hi',
      reply_to: 'help@shop.example', headers: { 'X-Campaign': 'spring' }, tags: ['spring'], track_clicks: false,
      recipients: [{ email: 'ann@example.org', data: { first: 'Ann' } }],
    });
    expect(await loadCampaignContent(store.db, created.id)).toEqual({
      id: created.id, from_address: '"Shop" <news@shop.example>', reply_to: 'help@shop.example', subject: 'Hi {{data.first}}',
      html: '<p>{{data.first}}</p>', text: 'Hi', headers: { 'X-Campaign': 'spring' }, tags: ['spring'], track_opens: true, track_clicks: false,
    });
  });

  it('answers undefined for an unknown campaign', async () => {
    expect(await loadCampaignContent(store.db, newId())).toBeUndefined();
  });
});
