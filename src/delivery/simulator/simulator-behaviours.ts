// The scripted recipients of @simulator.test, as data: what the simulated MX answers to each.
// Add a row to add a behaviour; issues 3 and 4 add engagement and inbound ones (open@, complaint@ ...).

import { ENGAGEMENT_BEHAVIOURS } from './engagement-behaviours.ts';
import type { SimulatorBehaviour } from './simulator-types.ts';

export const SIMULATOR_DOMAIN = 'simulator.test';

/** Addresses that are on every project's suppression list, so sending to them is `rejected`. */
export const SIMULATOR_SUPPRESSED = [`suppressed@${SIMULATOR_DOMAIN}`];

export type { RcptAnswer, AcceptedMessage, SimulatorWorld, SimulatorBehaviour } from './simulator-types.ts';

export const SIMULATOR_BEHAVIOURS: SimulatorBehaviour[] = [
  { local: 'delivered', description: 'accepted: 250', onRecipient: () => 'accept' },
  {
    local: 'bounce',
    description: 'hard bounce: 550 5.1.1 user unknown',
    onRecipient: () => ({ code: 550, message: '5.1.1 <bounce@simulator.test>: Recipient address rejected: User unknown in virtual mailbox table' }),
  },
  {
    local: 'softbounce',
    description: 'mailbox full on every attempt (452 4.2.2) until retries expire: soft bounce',
    onRecipient: () => ({ code: 452, message: '4.2.2 <softbounce@simulator.test>: Mailbox full, try again later' }),
  },
  {
    local: 'deferred',
    description: 'greylisted once (451 4.7.1), then accepted',
    onRecipient: (seen) => (seen === 0 ? { code: 451, message: '4.7.1 Greylisted, please try again later' } : 'accept'),
  },
  { local: 'suppressed', description: 'on the suppression list: rejected by Sendtrail, never sent', onRecipient: () => 'accept' },
  ...ENGAGEMENT_BEHAVIOURS,
];

const BY_LOCAL = new Map(SIMULATOR_BEHAVIOURS.map((b) => [b.local, b]));

/** Unknown local parts behave like delivered@, with any +tag ignored (delivered+42@ is delivered@). */
export function behaviourFor(address: string): SimulatorBehaviour {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase().split('+')[0]!;
  return BY_LOCAL.get(local) ?? BY_LOCAL.get('delivered')!;
}
