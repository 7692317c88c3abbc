// Starts deciding who is asking as soon as a GraphQL request arrives, so the user lookup overlaps with
// reading the body; every later step awaits the same outcome (identity.ts).
import type { Plugin } from 'graphql-yoga';
import type { Identities } from './identity.js';

export function useIdentity(identities: Identities): Plugin {
  return {
    onRequestParse({ request }) {
      void identities.of(request);
    },
  };
}
