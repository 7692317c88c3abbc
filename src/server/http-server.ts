// The node:http server in front of Yoga, as production runs it (main.ts) and as the tests that must cross
// a real socket run it (test kit). Over it, Yoga hands plugins @whatwg-node's own Request, Headers and
// AbortSignal rather than Node's: code that works through `yoga.fetch` alone has not proved it works here.
import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';

export function createHttpServer(handler: RequestListener, { requestTimeoutMs }: { requestTimeoutMs: number }): HttpServer {
  // A client that takes longer than this to send its request gets 408 (a slow upload holds a socket);
  // answering is bounded separately, by the same number, in use-http-policy.ts.
  return createServer({ requestTimeout: requestTimeoutMs, headersTimeout: Math.min(requestTimeoutMs, 60_000) }, handler);
}
