// Keeps the email log and an email's detail current: the project's event stream says which emails
// moved, and the queries showing them are refetched, at most once a second however busy the stream.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';

const MIN_INTERVAL_MS = 1000;
const EVENT_TYPES = ['queued', 'scheduled', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'rejected', 'failed', 'cancelled', 'complaint', 'unsubscribe', 'open', 'click', 'reply', 'reclassified'];

/** `emailId`: follow that email alone (its detail); else every email (the log). */
export function useLiveEmails(emailId?: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    let lastAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      timer = undefined;
      lastAt = Date.now();
      if (emailId) {
        void queryClient.invalidateQueries({ queryKey: ['emails', 'one', emailId] });
        void queryClient.invalidateQueries({ queryKey: ['emails', 'events', emailId] });
      } else {
        void queryClient.invalidateQueries({ queryKey: ['emails', 'pages'] });
      }
    };
    const changed = () => {
      if (!timer) timer = setTimeout(refetch, Math.max(0, lastAt + MIN_INTERVAL_MS - Date.now()));
    };
    const params = new URLSearchParams(emailId ? { email_id: emailId } : {});
    const source = new EventSource(`/v1/events/stream?${params}`, { withCredentials: true });
    for (const type of EVENT_TYPES) source.addEventListener(type, changed);
    // Back after a dropped stream: what happened meanwhile is read again.
    source.addEventListener('open', changed);
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [queryClient, emailId]);
}
