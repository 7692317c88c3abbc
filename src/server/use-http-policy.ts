// The HTTP rules around GraphQL requests: which origins browsers may call from (CORS), how large a body
// and how many batched operations one request may carry, that a request a browser could send without a
// CORS preflight (a form, text/plain, a plain GET) carries a CSRF header, and how long a request may take.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { getOperationAST, type GraphQLError, OperationTypeNode } from 'graphql';
import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import type { Config } from '../config.js';
import { apiError } from '../schema/errors.js';
import { errorResponse } from './error-response.js';

/**
 * Either header makes a request one a browser preflights, so another site cannot forge it. Apollo
 * Client sends `apollo-require-preflight` when asked to (and for uploads); other clients send
 * `x-graphql-yoga-csrf`. JSON POSTs (what the dashboard and GraphiQL send) need neither.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'];

type HttpLimits = Pick<Config['limits'], 'batching' | 'maxBodyBytes' | 'requestTimeoutMs'>;

/** Yoga's own options for CORS, body size and batching. */
export function httpOptions(
  limits: HttpLimits,
  corsOrigins: Config['server']['corsOrigins'],
): Pick<YogaServerOptions<object, object>, 'cors' | 'maxRequestBodySize' | 'batching'> {
  return {
    // Bearer tokens, never cookies: no credentials, so no origin can ride on a user's session.
    cors:
      corsOrigins === '*' ? { origin: '*', credentials: false } : corsOrigins.length ? { origin: corsOrigins, credentials: false } : false,
    // Enforced by useBodyLimit below (413 REQUEST_ENTITY_TOO_LARGE, from Content-Length or the stream).
    maxRequestBodySize: false,
    // Off: a JSON array is refused with 400 "Batching is not supported."; on: more than `limit` gets 413.
    batching: limits.batching > 0 ? { limit: limits.batching } : false,
  };
}

function csrfRefused(): GraphQLError {
  return apiError(
    'CSRF_HEADER_REQUIRED',
    `This request could come from a form on another site: send it as application/json, or add the header ${CSRF_HEADERS.map((h) => `"${h}"`).join(' or ')}.`,
    { request: true },
  );
}

function unsupportedMediaType(): GraphQLError {
  return apiError(
    'UNSUPPORTED_MEDIA_TYPE',
    'Send GraphQL requests as application/json (a POST body of {"query", "variables", "operationName"}), or as a GET query string.',
    { request: true },
  );
}

function tooLarge(): GraphQLError {
  return apiError('REQUEST_ENTITY_TOO_LARGE', 'The request body is larger than this server accepts.', { request: true });
}

/**
 * The body limit (MAX_BODY_BYTES). A declared Content-Length over it is refused before anything is read;
 * a body without one (a chunked upload) is counted as it streams and cut off at the limit. A body with a
 * Content-Length within the limit is read as it is: over node:http, Node's parser reads exactly that many
 * bytes, so Yoga's own counting stream (a TransformStream, a new Request and a stream pipeline per
 * request, 5% of a cache hit's CPU) would only count them again.
 */
export function useBodyLimit(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer; anything else (a list, as in request smuggling) is refused.
        if (!/^\d+$/.test(declared)) throw apiError('BAD_REQUEST', 'Content-Length is not a byte count.', { request: true });
        if (Number(declared) > maxBodyBytes) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((req) => requestParser(countedBody(req, maxBodyBytes)));
    },
  };
}

/** `request` with a body that errors with 413 once more than `limit` bytes have streamed through it. */
function countedBody(request: Request, limit: number): Request {
  let bytes = 0;
  const counted = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      if (bytes > limit) controller.error(tooLarge());
      else controller.enqueue(chunk);
    },
  });
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: (request.body as ReadableStream<Uint8Array>).pipeThrough(counted),
    duplex: 'half',
  } as RequestInit);
}

const timedOutMessage = (limitMs: number) => `The request took longer than ${limitMs} ms and was stopped.`;

export function useHttpPolicy({ requestTimeoutMs }: { requestTimeoutMs: number }): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  // Aborted when the request is late or its client went away: what a query's execution stops on.
  const stopSignals = new WeakMap<Request, AbortSignal>();
  return {
    onRequest({ requestHandler, setRequestHandler, fetchAPI }) {
      // Once the answer is late the client gets 503 at once and a query stops at its next field. A
      // mutation runs to its end (see onExecute), so what it did is recorded for its Idempotency-Key and a
      // retry with that key gets the real outcome.
      setRequestHandler(async (req, serverContext) => {
        const stop = new AbortController();
        stopSignals.set(req, stop.signal);
        // Over node:http the request's signal is @whatwg-node's own AbortSignal, which Node 24+ refuses in
        // AbortSignal.any: it is only listened to, through the EventTarget interface every signal has.
        const clientSignal: AbortSignal | undefined = req.signal;
        const clientGone = () => stop.abort(clientSignal?.reason);
        if (clientSignal?.aborted) clientGone();
        else clientSignal?.addEventListener('abort', clientGone, { once: true });
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<Response>((resolve) => {
          timer = setTimeout(() => {
            const message = timedOutMessage(requestTimeoutMs);
            // A coded error, so the execution it cuts short is not logged as an unexpected one.
            stop.abort(apiError('REQUEST_TIMEOUT', message));
            resolve(errorResponse('REQUEST_TIMEOUT', message, { headers: { 'retry-after': '1' }, fetchAPI }));
          }, requestTimeoutMs);
        });
        try {
          return await Promise.race([requestHandler(req, serverContext), late]);
        } finally {
          clearTimeout(timer);
          clientSignal?.removeEventListener('abort', clientGone);
        }
      });
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const signal = request && stopSignals.get(request);
      // Never cut a mutation short (neither at the deadline nor when the client goes away): its
      // statements may have committed, and only a finished result can be stored and replayed.
      if (getOperationAST(args.document, args.operationName)?.operation === OperationTypeNode.MUTATION) return;
      // @graphql-tools/executor (Yoga's executor) checks this signal between fields.
      if (signal) (args as { signal?: AbortSignal }).signal = signal;
    },
    onRequestParse(payload) {
      try {
        csrf.onRequestParse?.(payload);
      } catch {
        // The library's error has neither a code nor a hint of what to send.
        throw csrfRefused();
      }
      // Yoga's own answer to a body no parser reads is an empty 415.
      if (!payload.requestParser && payload.request.method === 'POST') throw unsupportedMediaType();
    },
  };
}
