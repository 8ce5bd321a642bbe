// The PROXY protocol's version 1 header line (HAProxy's, widely known): what the front thread
// writes first on each connection it passes to the main thread, so that the main thread's server
// sees the client's own address, as if the client had connected to it directly.
import type { Socket } from 'node:net';

const MAX_LINE = 107; // the protocol's longest line, CRLF included

/** `PROXY TCP4|TCP6 <client> <server> <client port> <server port>\r\n`, or UNKNOWN when the socket has no address any more. */
export function proxyLineOf(socket: Socket): string {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !localAddress || remotePort === undefined || localPort === undefined) return 'PROXY UNKNOWN\r\n';
  const family = remoteAddress.includes(':') ? 'TCP6' : 'TCP4';
  return `PROXY ${family} ${remoteAddress} ${localAddress} ${remotePort} ${localPort}\r\n`;
}

export type ProxiedAddress = { address: string; family: 'IPv4' | 'IPv6'; port: number } | undefined;

/**
 * Reads the PROXY line off a socket fresh from the front thread, then hands the socket on with the
 * rest of what it read put back. `undefined`: the line said UNKNOWN. A socket that sends no valid
 * line is destroyed: only the front thread connects here.
 */
export function readProxyLine(socket: Socket, then: (address: ProxiedAddress) => void): void {
  let head: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n');
    if (end === -1) {
      if (head.length > MAX_LINE) socket.destroy();
      return;
    }
    socket.off('data', onData);
    socket.pause();
    const parts = head.toString('latin1', 0, end).split(' ');
    const rest = head.subarray(end + 2);
    if (rest.length > 0) socket.unshift(rest);
    if (parts[0] !== 'PROXY') return void socket.destroy();
    if (parts[1] === 'UNKNOWN') return then(undefined);
    if ((parts[1] !== 'TCP4' && parts[1] !== 'TCP6') || parts.length !== 6) return void socket.destroy();
    then({ address: parts[2]!, family: parts[1] === 'TCP4' ? 'IPv4' : 'IPv6', port: Number(parts[4]) });
  };
  socket.on('data', onData);
}

/** Makes the socket report the client's address (what Fastify and proxy-addr read) instead of the Unix socket's none. */
export function assumeAddress(socket: Socket, address: ProxiedAddress): void {
  if (!address) return;
  Object.defineProperty(socket, 'remoteAddress', { value: address.address, configurable: true });
  Object.defineProperty(socket, 'remoteFamily', { value: address.family, configurable: true });
  Object.defineProperty(socket, 'remotePort', { value: address.port, configurable: true });
}
