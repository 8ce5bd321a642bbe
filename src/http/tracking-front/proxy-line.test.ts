// The main server behind the front thread reads each connection's PROXY line: its requests carry
// the client's address the line names, and a connection that does not begin with one is dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptFromFront } from './start-tracking-front.ts';

describe('the PROXY line on the main server\'s Unix socket', () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    server = dir = undefined;
  });

  async function start(): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-proxy-line-'));
    const path = join(dir, 's.sock');
    server = createServer((req, res) => res.end(`${req.url} from ${req.socket.remoteAddress}:${req.socket.remotePort}`));
    await new Promise<void>((resolve) => server!.listen(path, resolve));
    acceptFromFront(server);
    return path;
  }

  /** Everything the server sent back until it closed the connection. */
  const exchange = (path: string, text: string) => new Promise<string>((resolve) => {
    const socket = connect(path);
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', () => {});
    socket.end(text);
  });

  it('requests after the line are served with the client address it names, whole', async () => {
    const path = await start();
    const answer = await exchange(path, 'PROXY TCP4 203.0.113.7 127.0.0.1 50123 3000\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('/healthz from 203.0.113.7:50123');
  });

  it('a connection that does not begin with a PROXY line gets no answer', async () => {
    const path = await start();
    expect(await exchange(path, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('');
    expect(await exchange(path, 'PROXY TCP4 not enough\r\nGET / HTTP/1.1\r\n\r\n')).toBe('');
  });
});
