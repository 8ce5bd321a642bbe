// Prometheus metrics of one process; each role records into the same registry, /metrics serves it.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sendtrail_' });
  return {
    registry,
    deliveries: new Counter({
      name: 'sendtrail_deliveries_total',
      help: 'Delivery attempts by outcome (sent, delivered, deferred, bounced, rejected, failed) and transport.',
      labelNames: ['outcome', 'transport'] as const,
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'sendtrail_delivery_latency_seconds',
      help: 'From the moment an email was due to its first final SMTP outcome.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    }),
    smtpLatency: new Histogram({
      name: 'sendtrail_smtp_send_seconds',
      help: 'Duration of one SMTP transaction, by transport.',
      labelNames: ['transport'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'sendtrail_queue_depth',
      help: 'Emails queued to send: due, or being sent (all workers).',
      registers: [registry],
    }),
    queueScheduled: new Gauge({
      name: 'sendtrail_queue_waiting',
      help: 'Emails waiting: scheduled sends and retries after a delay, until a worker sends them (all workers).',
      registers: [registry],
    }),
  };
}
