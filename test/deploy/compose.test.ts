// compose.yaml, the laptop-sized rehearsal of production, agrees with the code and with the Kubernetes
// manifests (no Docker engine here: the file is checked, not run): the API instances get exactly the
// variables the production Deployment sets, and they load as a production configuration; the migration
// completes before an API starts; health checks hit real routes; our containers run as restricted as pods.
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadMigrationConfig } from '../../src/config.js';
import { READINESS_PATH } from '../../src/server/use-readiness.js';
import { startTestApi, type TestApi } from '../kit/api.js';
import { imageEnvironment, npmScript, packageScripts, serverVariables, triggerVariables } from './contract.js';
import { containerEnvironment, readYamlDocuments, renderKustomization, ROOT, theOne, toModels } from './kustomize.js';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  volumes?: string[];
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
  restart?: string;
  deploy?: { resources?: { limits?: { memory?: string } } };
}

// Compose resolves YAML merge keys (`<<: *app`); so does this parse.
const [compose] = readYamlDocuments(join(ROOT, 'compose.yaml'), { merge: true }) as [{ services: Record<string, ComposeService> }];
const { services } = compose;
const ourServices = Object.entries(services).filter(([, s]) => s.build !== undefined);
const apiNames = ['api-1', 'api-2'];

const models = toModels(renderKustomization(join(ROOT, 'deploy/kubernetes/overlays/production')));
const deployment = theOne(models, Deployment, 'weekly-pulse');
const namesIn = (container: IContainer) => Object.keys(containerEnvironment(container, models, () => 'secret')).sort();

/** The value compose gives `${NAME:-default}` in an empty environment (its default, or empty). */
function interpolated(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}
const environmentOf = (service: string) =>
  Object.fromEntries(Object.entries(services[service]?.environment ?? {}).map(([name, value]) => [name, interpolated(String(value))]));

/** The durations compose accepts here (`40s`, `1m30s`), in seconds. */
function seconds(duration: string | undefined): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration ?? '');
  if (!duration || !match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

describe('compose.yaml: the rehearsal holds the production topology', () => {
  it('has the primary, its replica, PgBouncer, Redis, the migration, two API instances, the balancer and the trigger', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api-1', 'api-2', 'lb', 'migrate', 'pgbouncer', 'postgres', 'postgres-replica', 'redis', 'trigger'].sort(),
    );
    expect(services.postgres?.image).toMatch(/^postgres:15/);
    expect(services['postgres-replica']?.image).toBe(services.postgres?.image);
    expect(services.redis?.image).toMatch(/^redis:7/);
    expect(environmentOf('pgbouncer').POOL_MODE).toBe('transaction');
    expect(ourServices.map(([name]) => name).sort()).toEqual([...apiNames, 'migrate', 'trigger'].sort());
  });

  it('every file it mounts exists, and the scripts it runs as entrypoints are executable', () => {
    const mounts = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./'));
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) {
      const [source, target] = mount.split(':');
      const path = join(ROOT, source!);
      expect(() => accessSync(path, constants.R_OK), mount).not.toThrow();
      if (target?.endsWith('.sh')) expect(() => accessSync(path, constants.X_OK), `${source} must be executable`).not.toThrow();
    }
  });
});

describe('compose.yaml agrees with the code and the manifests', () => {
  it('the API instances set the same variables as each other and as the production Deployment, all read by src/config.ts', () => {
    const [first, second] = apiNames.map((name) => Object.keys(services[name]?.environment ?? {}).sort());
    expect(second).toEqual(first);
    expect(first!.filter((name) => !serverVariables.has(name))).toEqual([]);
    expect(first).toEqual(namesIn(deployment.spec!.template.spec!.containers[0]!));
  });

  it('the migration and the trigger set what their Job and CronJob set, read by src/config.ts and scripts/trigger.ts', () => {
    const job = theOne(models, Job, 'weekly-pulse-migrate').spec!.template.spec!.containers[0]!;
    const cron = theOne(models, CronJob, 'weekly-pulse-trigger').spec!.jobTemplate.spec!.template.spec!.containers[0]!;
    expect(Object.keys(environmentOf('migrate')).sort()).toEqual(namesIn(job));
    expect(Object.keys(environmentOf('trigger')).sort()).toEqual(namesIn(cron));
    expect(Object.keys(environmentOf('migrate')).filter((name) => !serverVariables.has(name))).toEqual([]);
    const readByTrigger = triggerVariables();
    expect(Object.keys(environmentOf('trigger')).filter((name) => !readByTrigger.has(name))).toEqual([]);
  });

  it('the API environment, with the rehearsal defaults, loads as a production configuration over compose services', () => {
    const config = loadConfig(environmentOf('api-1'));
    expect(config.production).toBe(true);
    if (config.database.mode !== 'postgres') throw new Error('expected PostgreSQL');
    expect(new URL(config.database.url).host).toBe(`pgbouncer:${environmentOf('pgbouncer').LISTEN_PORT}`);
    expect(new URL(environmentOf('api-1').DATABASE_DIRECT_URL!).hostname).toBe('postgres');
    expect(config.database.replicas.urls.map((url) => new URL(url).hostname)).toEqual(['postgres-replica']);
    expect(new URL(environmentOf('api-1').REDIS_URL!).hostname).toBe('redis');
    // The migration goes straight to the primary, as the Kubernetes Job does, and its environment loads too.
    expect(new URL(environmentOf('migrate').DATABASE_URL!).host).toBe('postgres:5432');
    expect(loadMigrationConfig({ ...imageEnvironment(), ...environmentOf('migrate') }).mode).toBe('postgres');
  });

  it('containers of our image run only package.json scripts', () => {
    for (const [name, service] of ourServices.filter(([, s]) => s.command)) {
      expect([...packageScripts]).toContain(npmScript(service.command, name));
    }
  });

  it('the migration completes before an API instance starts; the trigger starts only when asked for', () => {
    expect(services.migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(services.migrate?.restart).toBe('no');
    for (const name of apiNames) {
      expect(services[name]?.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      expect(services[name]?.depends_on?.pgbouncer?.condition, name).toBe('service_healthy');
    }
    expect(services.trigger?.profiles?.length).toBeGreaterThan(0);
    expect(new URL(environmentOf('trigger').API_URL!).hostname).toBe('lb');
  });

  it('our containers run as the pods do: uid 1000, read-only root with /tmp, no capabilities; same drain and memory limit', () => {
    const pod = deployment.spec!.template.spec!;
    for (const [name, service] of ourServices) {
      expect(service.user, name).toBe('1000:1000');
      expect(service.read_only, name).toBe(true);
      expect(service.tmpfs, name).toContain('/tmp');
      expect(service.cap_drop, name).toContain('ALL');
      expect(service.security_opt, name).toContain('no-new-privileges:true');
    }
    for (const name of apiNames) {
      expect(seconds(services[name]?.stop_grace_period), name).toBe(pod.terminationGracePeriodSeconds);
      const limit = services[name]?.deploy?.resources?.limits?.memory;
      expect(limit?.replace(/M$/, 'Mi'), name).toBe(pod.containers[0]!.resources?.limits?.memory);
    }
  });

  describe('health checks hit real routes', () => {
    let server: TestApi;
    beforeAll(async () => {
      server = await startTestApi();
    });
    afterAll(() => server?.close());

    it("the API instances' health check and the balancer's check ask /readyz, which answers 200", async () => {
      const haproxy = readFileSync(join(ROOT, 'deploy/compose/haproxy.cfg'), 'utf8');
      const checked = /^\s*option httpchk GET (\S+)/m.exec(haproxy)?.[1];
      expect(checked).toBe(READINESS_PATH);
      for (const name of apiNames) {
        const url = /http:\/\/[^'"\s]+/.exec(services[name]?.healthcheck?.test.join(' ') ?? '')?.[0];
        expect(url, `${name}: no URL in its health check`).toBeDefined();
        expect(new URL(url!).pathname, name).toBe(READINESS_PATH);
      }
      expect((await server.yoga.fetch(`http://localhost${checked}`)).status).toBe(200);
    });

    it('the balancer sends to both API instances on the port they listen on', () => {
      const haproxy = readFileSync(join(ROOT, 'deploy/compose/haproxy.cfg'), 'utf8');
      const port = loadConfig(environmentOf('api-1')).server.port;
      const backends = [...haproxy.matchAll(/^\s*server \S+ (\S+) check/gm)].map((m) => m[1]);
      expect(backends.sort()).toEqual(apiNames.map((name) => `${name}:${port}`).sort());
      expect(haproxy).toMatch(/^\s*option forwardfor/m);
      expect(environmentOf('api-1').TRUST_PROXY).toBe('1');
    });
  });
});
