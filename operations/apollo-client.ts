// How the React/Apollo dashboard connects to this API (README quotes this file; test/clients runs it).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { print, relayStylePagination } from '@apollo/client/utilities';
import type { DocumentNode } from 'graphql';

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Documents from operations/generated carry their manifest hash; others (ad-hoc) are hashed as sent. */
function persistedId(document: DocumentNode): string | Promise<string> {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  return hash ? hash.replace(/^sha256:/, '') : sha256(print(document));
}

export function createDashboardClient(options: { uri: string; getToken: () => string | Promise<string> }) {
  const auth = new SetContextLink(async ({ headers }) => ({
    headers: { ...headers, authorization: `Bearer ${await options.getToken()}` },
  }));
  return new ApolloClient({
    link: ApolloLink.from([auth, new PersistedQueryLink({ generateHash: persistedId }), new HttpLink({ uri: options.uri })]),
    cache: new InMemoryCache({
      typePolicies: {
        // One cached list per filter and order; fetchMore appends the next page (Relay connection spec).
        Query: {
          fields: {
            users: relayStylePagination(['filter', 'orderBy']),
            weeklyReports: relayStylePagination(['filter']),
            weeklySummaries: relayStylePagination(),
          },
        },
        User: { fields: { reports: relayStylePagination() } },
      },
    }),
  });
}
