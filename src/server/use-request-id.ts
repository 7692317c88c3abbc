// Gives every request an id (the caller's x-request-id when it is sane, else a new UUID), echoed in the
// response header and carried in the context and logs, so an error report can be traced.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestIds {
  /** This request's id, fixed on the first call. */
  of(request: Request): string;
  plugin: Plugin;
}

export function createRequestIds(): RequestIds {
  const ids = new WeakMap<Request, string>();
  const of = (request: Request) => {
    let id = ids.get(request);
    if (!id) {
      const given = request.headers.get('x-request-id');
      id = given && SAFE_ID.test(given) ? given : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  return {
    of,
    plugin: {
      onResponse({ request, response }) {
        response.headers.set('x-request-id', of(request));
      },
    },
  };
}
