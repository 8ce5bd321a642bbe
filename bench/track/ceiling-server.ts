// The ceiling: a bare Fastify server answering the tracking paths with the same 1x1 GIF (and a bare
// 302 for clicks), nothing recorded. Run as its own process, like Sendtrail, so both get a core.
import Fastify from 'fastify';

// The smallest transparent GIF (43 bytes), as Sendtrail's pixel serves.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const app = Fastify({ logger: false });
app.get('/t/o/:token', (_req, reply) => {
  reply.header('content-type', 'image/gif').header('cache-control', 'no-store, no-cache, must-revalidate, private').send(GIF);
});
app.get('/t/c/:token', (_req, reply) => {
  reply.redirect('https://example.com/landing', 302);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('message', (m) => m === 'close' && void app.close().then(() => process.exit(0)));
