// The client's address for per-address limits: the socket's peer or, behind `trustProxy` reverse proxies,
// the address the outermost trusted proxy saw. X-Forwarded-For is read from the right, so entries a
// client writes itself are never trusted. IPv6 clients count per /64 (one host usually owns a whole /64).
import { isIP } from 'node:net';

type NodeServerContext = { req?: { socket?: { remoteAddress?: string } } };

export function clientAddress(request: Request, serverContext: unknown, trustProxy: number): string {
  const peer = normalise((serverContext as NodeServerContext | undefined)?.req?.socket?.remoteAddress);
  if (!peer) return 'unknown';
  if (trustProxy <= 0) return peer;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  // hops[0] is our peer (the nearest proxy); each trusted proxy vouches for the address one step further.
  const hops = [peer, ...forwarded];
  let address = peer;
  for (let i = 1; i <= Math.min(trustProxy, hops.length - 1); i++) {
    const next = normalise(hops[i]);
    if (!next) break; // garbage in the header: keep the last address a trusted hop gave
    address = next;
  }
  return address;
}

function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const version = isIP(address);
  if (version === 4) return address;
  if (version === 6) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros ("2001:db8::1" -> 2001,db8,0,...,1). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  // An embedded IPv4 tail ("::ffff:1.2.3.4", "64:ff9b::1.2.3.4") fills two groups.
  const width = (parts: string[]) => parts.length + (parts.at(-1)?.includes('.') ? 1 : 0);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  return [...left, ...zeros, ...right].map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, '')));
}
