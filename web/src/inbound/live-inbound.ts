// Keeps the Inbound list current: the inbound stream tells of each message stored (the unmatched
// ones record no event, so neither the event nor the stats stream would), and the list is read again.
import { useQueryClient } from '@tanstack/react-query';
import { useStreamNudges } from '../live-source.ts';
import { INBOUND_LIST_KEY } from './inbound-api.ts';

export function useLiveInbound() {
  const queryClient = useQueryClient();
  useStreamNudges('/v1/inbound/stream', ['inbound'], () => void queryClient.invalidateQueries({ queryKey: INBOUND_LIST_KEY }));
}
