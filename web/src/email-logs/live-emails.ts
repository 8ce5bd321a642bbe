// Keeps the email log and an email's detail current: the project's event stream says which emails
// moved, and the queries showing them are refetched, at most once a second however busy the stream.
import { useQueryClient } from '@tanstack/react-query';
import { useStreamNudges } from '../live-source.ts';

const EVENT_TYPES = ['queued', 'scheduled', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'rejected', 'failed', 'cancelled', 'complaint', 'unsubscribe', 'open', 'click', 'reply', 'reclassified'];

/** `emailId`: follow that email alone (its detail); else every email (the log). */
export function useLiveEmails(emailId?: string) {
  const queryClient = useQueryClient();
  const params = new URLSearchParams(emailId ? { email_id: emailId } : {});
  useStreamNudges(`/v1/events/stream?${params}`, EVENT_TYPES, () => {
    if (emailId) {
      void queryClient.invalidateQueries({ queryKey: ['emails', 'one', emailId] });
      void queryClient.invalidateQueries({ queryKey: ['emails', 'events', emailId] });
    } else {
      void queryClient.invalidateQueries({ queryKey: ['emails', 'pages'] });
    }
  });
}
