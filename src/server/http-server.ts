// The node:http server in front of Yoga, as production runs it (main.ts) and as the tests that must cross
// a real socket run it (test kit). Over it, Yoga hands plugins @whatwg-node's own Request, Headers and
// AbortSignal rather than Node's: code that works through `yoga.fetch` alone has not proved it works here.
import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';

export function createHttpServer(handler: RequestListener, { requestTimeoutMs }: { requestTimeoutMs: number }): HttpServer {
  // A client that takes longer than this to send its request gets 408 (a slow upload holds a socket);
  // answering is bounded separately, by the same number, in use-http-policy.ts.
  return createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 60_000),
      // Longer than the idle timeout of the load balancers and clients that reuse connections (60 s on the
      // common ones): with Node's 5 s default, a keep-alive socket the server closes just as a client sends
      // on it fails that request without an answer ("fetch failed" in the tests, a 502 behind a proxy).
      keepAliveTimeout: 65_000,
    },
    handler,
  );
}
