// While GraphiQL's page carries a ready-made token (the embedded default on a developer's machine), the
// server answers only requests addressed to a loopback name. A hostile page that points its own domain at
// 127.0.0.1 (DNS rebinding) is then same-origin in the browser but sends its own Host, and is refused.
import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './error-response.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host name of a Host header (`localhost:4000` -> `localhost`, `[::1]:4000` -> `[::1]`), lower case. */
function hostName(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return name.toLowerCase();
}

export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** The request names a loopback host (its Host header, or its URL's host in process). */
export function addressedToLoopback(request: Request): boolean {
  return LOOPBACK_NAMES.has(hostName(request.headers.get('host') ?? new URL(request.url).host));
}

/** Refuses requests to any other host. Yoga serves GraphiQL before any plugin runs: see createServer. */
export function useLoopbackHost(): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (addressedToLoopback(request)) return;
      endResponse(errorResponse('HOST_NOT_ALLOWED', 'This development server answers only requests to localhost.', { fetchAPI }));
    },
  };
}
