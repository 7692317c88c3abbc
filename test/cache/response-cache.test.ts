// The response cache, in memory and on real Redis (same code path): hits are visible, viewers never see
// each other's entries, errors and introspection are not cached, entries expire, and a write is visible
// to every viewer on the next read.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWeeks, isoWeekOf } from '../../src/domain/iso-week.js';
import { expectErrorCode, expectNoGraphQLErrors, startTestApi, type TestApi, untilApplied } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { dropPrefix, redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';
import { globalId } from '../kit/global-id.js';
import { setupTestDatabase } from '../kit/setup-test-api.js';

const url = redisUrl();
const hit = (response: { extensions?: Record<string, unknown> }) =>
  (response.extensions?.responseCache as { hit?: boolean } | undefined)?.hit;

const { db, team } = setupTestDatabase({ team: { users: 20, weeks: 3 } });

/** What the views of a submitted report read: each view's query answers one of these fields. */
type ViewData = Partial<{
  me: { reports: { totalCount: number } };
  node: { reports: { totalCount: number } };
  weeklyReports: { totalCount: number };
  users: { edges: { node: { id: string; reports: { totalCount: number } } }[] };
}>;
/** A person as their manager reads them (`... on User`). */
type ManagedPerson = { node: { email: string | null; reports: { totalCount: number } } };

describe.each([
  ['in memory', false],
  ['on Redis', true],
] as const)('response cache %s', (_name, onRedis) => {
  let api: TestApi;
  let client: Redis | undefined;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    if (onRedis && url) {
      client = testRedisClient(url);
      // Until connected, the client fails fast and the cache is bypassed (by design): wait for it.
      await new Promise((resolve) => client!.once('ready', resolve));
    }
    api = await startTestApi({ db, responseCache: { redis: client ? { client, keyPrefix: prefix } : undefined, ttlMs: 30_000 } });
  });
  afterAll(async () => {
    await api?.close();
    if (client) {
      client.disconnect();
      await dropPrefix(url!, prefix);
    }
  });

  const skip = onRedis && !url;

  it.skipIf(skip)('reports misses and hits in extensions.responseCache', async () => {
    api.actAs(team.adminId);
    const query = '{ users(first: 3) { edges { node { name } } } }';
    const first = await api.graphql(query);
    const second = await api.graphql(query);
    expectNoGraphQLErrors(first);
    expectNoGraphQLErrors(second);
    expect(hit(first)).toBe(false);
    expect(hit(second)).toBe(true);
    expect(second.data).toEqual(first.data);
    // Variables are part of the key.
    const other = await api.graphql('query($n: Int) { users(first: $n) { edges { node { name } } } }', { n: 2 });
    expect(hit(other)).toBe(false);
  });

  it.skipIf(skip)('keeps viewers apart, also two viewers of the same role', async () => {
    const [a, b] = [team.userIds[2]!, team.userIds[3]!];
    const query = graphql(`query ResponseCacheMe { me { id email reports(first: 10) { totalCount } } }`);
    api.actAs(a);
    const aFirst = await api.graphql(query);
    const aSecond = await api.graphql(query);
    api.actAs(b);
    const bFirst = await api.graphql(query);
    expectNoGraphQLErrors(aFirst);
    expectNoGraphQLErrors(bFirst);
    expect(hit(aSecond)).toBe(true);
    expect(hit(bFirst)).toBe(false);
    expect(aFirst.data.me.id).toBe(globalId('User', a));
    expect(bFirst.data.me.id).toBe(globalId('User', b));
    expect(bFirst.data.me.email).not.toBe(aFirst.data.me.email);
  });

  it.skipIf(skip)('never caches errors or introspection, nor the service identity', async () => {
    api.actAs(team.adminId);
    for (let i = 0; i < 2; i++) {
      const failed = await api.graphql('{ users(first: 101) { totalCount } }');
      expectErrorCode(failed, 'BAD_USER_INPUT');
      expect(hit(failed)).not.toBe(true);
      const introspection = await api.graphql('{ __schema { queryType { name } } }');
      expectNoGraphQLErrors(introspection);
      expect(hit(introspection)).toBeUndefined();
    }
    api.actAs('service');
    for (let i = 0; i < 2; i++) expect(hit(await api.graphql('{ __typename }'))).toBeUndefined();
  });

  it.skipIf(skip)('shows a submitted report on the next read of every affected view', async () => {
    const employee = team.userIds[4]!; // managed by team.managerIds[0]
    const manager = team.managerIds[0]!;
    // Each variant writes a week of its own (both share the database).
    const week = addWeeks(isoWeekOf(new Date()), onRedis ? -41 : -40);
    const views: [number, string, (d: ViewData) => number][] = [
      [employee, '{ me { reports(first: 50) { totalCount } latestReport { week } } }', (d) => d.me!.reports.totalCount],
      [
        manager,
        `{ node(id: "${globalId('User', employee)}") { ... on User { reports(first: 50) { totalCount } } } }`,
        (d) => d.node!.reports.totalCount,
      ],
      [
        team.adminId,
        `{ weeklyReports(filter: { weekFrom: "${week}", weekTo: "${week}" }) { totalCount } }`,
        (d) => d.weeklyReports!.totalCount,
      ],
      [
        manager,
        `{ users(first: 50) { edges { node { id latestReport { week } reports(first: 1) { totalCount } } } } }`,
        (d) => d.users!.edges.find((e) => e.node.id === globalId('User', employee))!.node.reports.totalCount,
      ],
    ];
    const before: number[] = [];
    for (const [viewer, query, pick] of views) {
      api.actAs(viewer);
      await api.graphql(query);
      const cached = await api.graphql<ViewData>(query);
      expect(hit(cached), query).toBe(true);
      before.push(pick(cached.data!));
    }
    // A week's aggregate in the shared data cache (the analytics queries store theirs the same way).
    let computed = 0;
    const aggregate = () =>
      api.server.aggregates.cache.getOrCompute(`stats:${week}`, { ttlMs: 60_000, tags: [`week:${week}`] }, async () => ++computed);
    await aggregate();
    expect(await aggregate()).toBe(1);

    api.actAs(employee);
    const submitted = await api.graphql(
      'mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { id } } }',
      { input: { week, workdays: 4, stressLevel: 3, highlights: 'cache me if you can' } },
    );
    expectNoGraphQLErrors(submitted);
    for (const [i, [viewer, query, pick]] of views.entries()) {
      api.actAs(viewer);
      const after = await api.graphql<ViewData>(query);
      expectNoGraphQLErrors(after, query);
      expect(hit(after), query).toBe(false);
      expect(pick(after.data), query).toBe(before[i]! + 1);
    }
    expect(await aggregate()).toBe(2);
  });

  it.skipIf(skip)('answers a team change written outside the API within 1 s, never from the old team’s entry after', async () => {
    const manager = team.managerIds[0]!;
    const [{ id: report }] = (await db.sql.query<{ id: number }>('SELECT id FROM users WHERE manager_id = $1 ORDER BY id LIMIT 1', [
      manager,
    ])) as [{ id: number }];
    const query = `{ node(id: "${globalId('User', report)}") { ... on User { email reports(first: 1) { totalCount } } } }`;
    api.actAs(manager);
    const mine = await api.graphql<ManagedPerson>(query);
    expectNoGraphQLErrors(mine);
    expect(mine.data.node.email).toMatch(/@/);
    expect(hit(await api.graphql(query))).toBe(true);
    // HR tooling moves the person to another manager, straight in SQL: no mutation, no invalidation.
    await db.sql.query('UPDATE users SET manager_id = $1 WHERE id = $2', [team.managerIds[1]!, report]);
    try {
      // The viewer cache learns of it from PostgreSQL's push (or its poll): within 1 s, usually at once.
      const moved = await untilApplied(
        () => api.graphql<ManagedPerson>(query),
        (r) => r.data?.node.email === null,
      );
      expectNoGraphQLErrors(moved);
      expect(hit(moved)).toBe(false);
      expect(moved.data.node).toEqual({ email: null, reports: { totalCount: 0 } });
      // The new manager reads them at once.
      api.actAs(team.managerIds[1]!);
      const theirs = await api.graphql<ManagedPerson>(query);
      expect(theirs.data?.node.email).toBe(mine.data.node.email);
    } finally {
      await db.sql.query('UPDATE users SET manager_id = $1 WHERE id = $2', [manager, report]);
    }
  });

  it.skipIf(skip)('expires entries after their TTL', async () => {
    const shortApi = await startTestApi({
      db,
      responseCache: { redis: client ? { client, keyPrefix: `${prefix}ttl:` } : undefined, ttlMs: 300 },
    });
    try {
      shortApi.actAs(team.adminId);
      const query = '{ users(first: 1) { totalCount } }';
      expect(hit(await shortApi.graphql(query))).toBe(false);
      expect(hit(await shortApi.graphql(query))).toBe(true);
      await new Promise((r) => setTimeout(r, 450));
      expect(hit(await shortApi.graphql(query))).toBe(false);
    } finally {
      await shortApi.close();
    }
  });
});
