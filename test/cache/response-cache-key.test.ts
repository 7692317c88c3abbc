// The response cache key is the one @envelop/response-cache builds by default, computed synchronously with
// node:crypto: the same text gives the same key, so entries on a shared Redis stay valid across a deploy.
import { type BuildResponseCacheKeyFunction, defaultBuildResponseCacheKey } from '@envelop/response-cache';
import { describe, expect, it } from 'vitest';
import { responseCacheKey } from '../../src/server/use-response-cache.js';

describe('responseCacheKey', () => {
  const documentString = 'query UsersPage($first: Int!) { users(first: $first) { totalCount } }';
  type Params = Parameters<BuildResponseCacheKeyFunction>[0];
  const base = { documentString, context: {} };
  const cases: Params[] = [
    { ...base, operationName: 'UsersPage', variableValues: { first: 5, after: 'ÿ€' }, sessionId: 'user:7:MANAGER:3,4' },
    // Variables in another order are the same request.
    { ...base, operationName: 'UsersPage', variableValues: { after: 'ÿ€', first: 5 }, sessionId: 'user:7:MANAGER:3,4' },
    { ...base, operationName: undefined, variableValues: undefined, sessionId: undefined },
  ];

  it("is @envelop/response-cache's default key, for any operation name, variables and session", async () => {
    for (const params of cases) {
      expect(responseCacheKey(params)).toBe(await defaultBuildResponseCacheKey(params));
    }
    expect(responseCacheKey(cases[0]!)).toBe(responseCacheKey(cases[1]!));
    expect(responseCacheKey(cases[0]!)).not.toBe(responseCacheKey({ ...cases[0]!, sessionId: 'user:8:MANAGER:3,4' }));
  });
});
