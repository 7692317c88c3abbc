// Which Redis the settings name: one node, a cluster, or a master found through sentinels; a mix of them,
// or a sentinel list without its master's name, stops the start with a line per problem.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the Redis topology', () => {
  it('is a single node with REDIS_URL, and none without any Redis setting', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redis?.topology).toEqual({ kind: 'single', url: 'redis://cache:6379' });
    expect(loadConfig({}).redis).toBeUndefined();
  });

  it('is a cluster from REDIS_CLUSTER_NODES, with IPv6 nodes in brackets, credentials and TLS', () => {
    const redis = loadConfig({
      REDIS_CLUSTER_NODES: 'redis-0.redis:6379, 10.0.0.2:7000,[::1]:7001',
      REDIS_USERNAME: 'app',
      REDIS_PASSWORD: 'pw',
      REDIS_TLS: 'true',
    }).redis;
    expect(redis?.topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'redis-0.redis', port: 6379 },
        { host: '10.0.0.2', port: 7000 },
        { host: '::1', port: 7001 },
      ],
    });
    expect(redis).toMatchObject({ username: 'app', password: 'pw', tls: true, keyPrefix: 'wp:' });
  });

  it('is a sentinel-watched master from REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
    expect(loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'cache' }).redis?.topology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'cache',
    });
  });

  it('refuses two topologies at once, sentinels without a name, a name without sentinels, and nodes that are not host:port', () => {
    expect(problemsOf({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' })).toEqual([
      'REDIS_URL, REDIS_CLUSTER_NODES: set only one (one Redis, a cluster, or sentinels)',
    ]);
    expect(problemsOf({ REDIS_SENTINELS: 's1:26379' })).toEqual([
      'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the name of the master the sentinels watch)',
    ]);
    expect(problemsOf({ REDIS_SENTINEL_NAME: 'cache' })).toEqual(['REDIS_SENTINEL_NAME: only meaningful with REDIS_SENTINELS']);
    const bad = problemsOf({ REDIS_CLUSTER_NODES: 'redis://a:7000,b', REDIS_PASSWORD: 'hunter2-SECRET' });
    expect(bad).toEqual(['REDIS_CLUSTER_NODES.0: each must be host:port', 'REDIS_CLUSTER_NODES.1: each must be host:port']);
    expect(bad.join('\n')).not.toMatch(/hunter2|redis:\/\/a/);
  });
});
