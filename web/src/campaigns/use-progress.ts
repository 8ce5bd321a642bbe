// A campaign's pace on screen: each new answer of its stats is a sample of how many emails are out.
import { useRef } from 'react';
import { addSample, doneOf, leftOf, secondsLeft, sendRate, type Sample } from './progress.ts';
import type { CampaignStats } from './campaigns-api.ts';

export type Progress = { queued: number; sent: number; delivered: number; left: number; done: number; total: number; rate: number | null; secondsLeft: number | null };

export function useProgress(stats: CampaignStats | undefined, updatedAt: number): Progress | undefined {
  const samples = useRef<Sample[]>([]);
  const lastAt = useRef(0);
  if (!stats) return undefined;
  const done = doneOf(stats.counts);
  if (updatedAt > lastAt.current) {
    lastAt.current = updatedAt;
    samples.current = addSample(samples.current, { at: updatedAt, done });
  }
  const left = leftOf(stats.counts);
  const rate = sendRate(samples.current);
  const c = stats.counts;
  return {
    queued: (c.queued ?? 0) + (c.scheduled ?? 0) + (c.delivery_delayed ?? 0),
    // Handed to a mail server, whatever came next.
    sent: (c.sent ?? 0) + (c.delivered ?? 0) + (c.bounced ?? 0),
    delivered: c.delivered ?? 0,
    left,
    done,
    total: c.total,
    rate,
    secondsLeft: secondsLeft(left, rate),
  };
}
