// The Kubernetes manifests (deploy/kubernetes, rendered as the production overlay and as the bare base) are
// valid API objects (kubernetes-models' schemas) and agree with the code: every variable they set is one the
// server (src/config.ts) or the trigger (scripts/trigger.ts) reads and the whole loads as a production
// configuration, the probes answer 200 on a real server, the commands are package.json scripts, the grace
// period outlasts the drain, and every pod runs restricted and reachable only as intended.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cron } from 'croner';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadMigrationConfig } from '../../src/config.js';
import { GRAPHQL_PATH } from '../../src/server/create-server.js';
import { READINESS_PATH } from '../../src/server/use-readiness.js';
import { startTestApi, type TestApi } from '../kit/api.js';
import { imageEnvironment, npmScript, packageScripts, serverVariables, triggerVariables } from './contract.js';
import {
  containerEnvironment,
  type KubeModel,
  podTemplatesOf,
  type RawObject,
  renderKustomization,
  ROOT,
  theOne,
  toModels,
} from './kustomize.js';

const OVERLAY = 'deploy/kubernetes/overlays/production';
const BASE = 'deploy/kubernetes/base';
const rendered = { [OVERLAY]: renderKustomization(join(ROOT, OVERLAY)), [BASE]: renderKustomization(join(ROOT, BASE)) };
const models = toModels(rendered[OVERLAY]);

/** A value of the right shape for each key of the Secret `weekly-pulse` (docs/DEPLOYMENT.md lists them). */
const SAMPLE_SECRETS: Record<string, string> = {
  'database-url': 'postgresql://weekly_pulse:pw@pgbouncer:6432/weekly_pulse',
  'database-direct-url': 'postgresql://weekly_pulse:pw@postgres:5432/weekly_pulse',
  'database-replica-urls':
    'postgresql://weekly_pulse:pw@replica-1:5432/weekly_pulse,postgresql://weekly_pulse:pw@replica-2:5432/weekly_pulse',
  'redis-url': 'redis://redis:6379',
  'jwt-secret': 'j'.repeat(48),
  'service-token': 's'.repeat(40),
  'metrics-token': 'm'.repeat(40),
  'openai-api-key': 'sk-sample',
  'telegram-bot-token': '123456:sample',
};

const configMaps = models.filter((m): m is ConfigMap => m instanceof ConfigMap);
const deployment = theOne(models, Deployment, 'weekly-pulse');
const apiTemplate = deployment.spec!.template;
const api = apiTemplate.spec!.containers[0]!;
const job = theOne(models, Job, 'weekly-pulse-migrate');
const cronJob = theOne(models, CronJob, 'weekly-pulse-trigger');
const trigger = cronJob.spec!.jobTemplate.spec!.template.spec!.containers[0]!;

/** Every variable a container gets: its ConfigMaps taken whole, then its env entries. */
const variablesOf = (container: IContainer) => Object.keys(environmentOf(container));

/** The environment a container starts with, secrets replaced by samples (an optional secret counts as set). */
const environmentOf = (container: IContainer, from: KubeModel[] = models) =>
  containerEnvironment(container, from, (key) => SAMPLE_SECRETS[key] ?? '');

/** Seconds the preStop hook waits (the `sleep` action, or an exec of `sleep N`); 0 without one. */
function preStopSeconds(container: IContainer): number {
  const preStop = container.lifecycle?.preStop;
  if (!preStop) return 0;
  if (preStop.sleep) return preStop.sleep.seconds;
  const [command, seconds] = preStop.exec?.command ?? [];
  if (command === 'sleep' && seconds) return Number(seconds);
  throw new Error(`${container.name}: a preStop hook this test cannot time`);
}

function bytes(quantity: string | number | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

describe('every rendered object is a valid Kubernetes API object', () => {
  for (const [dir, objects] of Object.entries(rendered)) {
    it(`${dir}: ${objects.length} objects, each valid against its kind's schema`, () => {
      for (const model of toModels(objects)) {
        expect(() => model.validate(), `${model.kind} ${model.metadata?.name}`).not.toThrow();
      }
    });
  }

  it('the validation catches a broken object (a port as text, an unknown pull policy)', () => {
    const broken = structuredClone(rendered[OVERLAY].find((o) => o.kind === 'Deployment')!) as RawObject;
    const [container] = podTemplatesOf([broken])[0]!.spec!.containers as unknown as Record<string, unknown>[];
    container!.ports = [{ containerPort: '4000' }];
    container!.imagePullPolicy = 'Sometimes';
    const [model] = toModels([broken]) as [KubeModel];
    expect(() => model.validate()).toThrow(/containerPort must be integer/);
    expect(() => model.validate()).toThrow(/imagePullPolicy must be equal to one of the allowed values/);
  });

  it('the overlay holds what issue 18 lists, in its namespace, with the released image', () => {
    const kinds = models.map((m) => m.kind).sort();
    expect(kinds).toEqual([
      'ConfigMap',
      'CronJob',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Job',
      'Namespace',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
    ]);
    for (const model of models.filter((m) => m.kind !== 'Namespace')) expect(model.metadata?.namespace, model.kind).toBe('weekly-pulse');
    const images = podTemplatesOf(models).flatMap((t) => t.spec!.containers.map((c) => c.image));
    expect(new Set(images)).toEqual(new Set(['registry.example.com/weekly-pulse:0.1.0']));
  });
});

describe('the manifests agree with the code', () => {
  it('every variable set for the server is one src/config.ts reads, and every ConfigMap key is too', () => {
    for (const container of [api, ...job.spec!.template.spec!.containers]) {
      expect(
        variablesOf(container).filter((name) => !serverVariables.has(name)),
        `${container.name}: variables src/config.ts does not read`,
      ).toEqual([]);
    }
    for (const map of configMaps) expect(Object.keys(map.data ?? {}).filter((name) => !serverVariables.has(name))).toEqual([]);
  });

  it("every variable set for the trigger is one scripts/trigger.ts reads; it calls the API's Service", () => {
    const readByTrigger = triggerVariables();
    expect(readByTrigger).toContain('SERVICE_TOKEN');
    expect(variablesOf(trigger).filter((name) => !readByTrigger.has(name))).toEqual([]);
    const service = theOne(models, Service, 'weekly-pulse');
    const url = new URL(environmentOf(trigger).API_URL!);
    expect(url.hostname).toBe(service.metadata!.name);
    expect(Number(url.port || 80)).toBe(service.spec!.ports![0]!.port);
    expect(url.pathname).toBe(GRAPHQL_PATH);
    expect(trigger.env?.find((e) => e.name === 'SERVICE_TOKEN')?.valueFrom?.secretKeyRef?.key).toBe(
      api.env?.find((e) => e.name === 'SERVICE_TOKEN')?.valueFrom?.secretKeyRef?.key,
    );
  });

  it('the API pod environment (settings and secrets) loads as a production configuration, in both renderings', () => {
    for (const objects of Object.values(rendered)) {
      const rendering = toModels(objects);
      const container = theOne(rendering, Deployment, 'weekly-pulse').spec!.template.spec!.containers[0]!;
      const config = loadConfig(environmentOf(container, rendering));
      expect(config.production).toBe(true);
      expect(config.persistedOperations.policy).toBe('enforce');
      expect(config.server.host).toBe('0.0.0.0');
      expect(config.database.mode).toBe('postgres');
    }
  });

  it('every secret the pods read is a key of the Secret weekly-pulse that docs/DEPLOYMENT.md documents', () => {
    const docs = readFileSync(join(ROOT, 'docs/DEPLOYMENT.md'), 'utf8');
    const refs = podTemplatesOf(models)
      .flatMap((t) => t.spec!.containers)
      .flatMap((c) => c.env ?? [])
      .flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.name).toBe('weekly-pulse');
      expect(Object.keys(SAMPLE_SECRETS)).toContain(ref.key);
      expect(docs, `docs/DEPLOYMENT.md does not document the secret key ${ref.key}`).toContain(`\`${ref.key}\``);
    }
  });

  it("the migration Job's environment, over the image's (NODE_ENV=production), loads as scripts/migrate.ts loads it", () => {
    const [container] = job.spec!.template.spec!.containers;
    const environment = { ...imageEnvironment(), ...environmentOf(container!) };
    expect(environment.NODE_ENV).toBe('production');
    expect(loadMigrationConfig(environment).mode).toBe('postgres');
    // The serving configuration would refuse it: the Job holds no signing key.
    expect(() => loadConfig(environment)).toThrow(/JWT_SECRET or JWT_JWKS_URL/);
    // It is given no secret beyond the database's.
    expect((container!.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : []))).toEqual([
      'database-direct-url',
    ]);
  });

  it('the migration Job goes straight to PostgreSQL, never through PgBouncer', () => {
    const [container] = job.spec!.template.spec!.containers;
    const urls = (container!.env ?? []).filter((e) => e.name.startsWith('DATABASE_'));
    expect(urls.map((e) => [e.name, e.valueFrom?.secretKeyRef?.key])).toEqual([['DATABASE_URL', 'database-direct-url']]);
  });

  it('the commands the Job and the CronJob run are package.json scripts', () => {
    for (const container of [...job.spec!.template.spec!.containers, trigger]) {
      const script = npmScript(container.command, container.name);
      expect([...packageScripts], `package.json has no script ${script}`).toContain(script);
    }
  });

  it('the weekly trigger is the one schedule: Forbid, a valid cron in REPORT_TZ, the in-process cron off', () => {
    const spec = cronJob.spec!;
    expect(spec.concurrencyPolicy).toBe('Forbid');
    expect(() => new Cron(spec.schedule, { paused: true, timezone: spec.timeZone }).stop()).not.toThrow();
    const config = loadConfig(environmentOf(api));
    expect(spec.timeZone).toBe(config.reports.timeZone);
    expect(config.reports.cron).toBeNull();
  });

  describe('probes hit real routes', () => {
    let server: TestApi;
    beforeAll(async () => {
      server = await startTestApi();
    });
    afterAll(() => server?.close());

    it('readiness is /readyz, liveness and startup another path; each answers 200 on a running server', async () => {
      expect(api.readinessProbe?.httpGet?.path).toBe(READINESS_PATH);
      // A liveness probe on readiness would restart every pod during a database outage.
      expect(api.livenessProbe?.httpGet?.path).not.toBe(READINESS_PATH);
      for (const probe of [api.readinessProbe, api.livenessProbe, api.startupProbe]) {
        const path = probe?.httpGet?.path;
        expect(path).toBeDefined();
        const response = await server.yoga.fetch(`http://localhost${path}`);
        expect(response.status, `GET ${path}`).toBe(200);
      }
    });
  });

  it('probes, the Service and the NetworkPolicy name the port the server listens on (PORT)', () => {
    const port = loadConfig(environmentOf(api)).server.port;
    const named = api.ports?.find((p) => p.containerPort === port);
    expect(named?.name).toBeDefined();
    for (const probe of [api.readinessProbe, api.livenessProbe, api.startupProbe]) {
      expect([port, named!.name]).toContain(probe?.httpGet?.port);
    }
    const service = theOne(models, Service, 'weekly-pulse');
    expect([port, named!.name]).toContain(service.spec!.ports![0]!.targetPort);
    const policy = theOne(models, NetworkPolicy, 'weekly-pulse-api');
    expect(policy.spec!.ingress!.flatMap((rule) => rule.ports ?? []).map((p) => p.port)).toContain(port);
  });
});

describe('rollouts and shutdown', () => {
  it('terminationGracePeriodSeconds outlasts the preStop delay plus SHUTDOWN_TIMEOUT_MS', () => {
    const drainMs = loadConfig(environmentOf(api)).server.shutdownTimeoutMs;
    const grace = apiTemplate.spec!.terminationGracePeriodSeconds ?? 30;
    expect(preStopSeconds(api)).toBeGreaterThanOrEqual(3);
    expect(grace * 1000).toBeGreaterThan(preStopSeconds(api) * 1000 + drainMs);
  });

  it('3 replicas or more (the autoscaler owns the count), rolled without losing one; budget and Service select exactly the API pods', () => {
    // A count in the Deployment would be applied again with every release, scaling a busy Deployment down.
    expect(deployment.spec!.replicas).toBeUndefined();
    expect(deployment.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    const labels = apiTemplate.metadata?.labels;
    expect(matches(deployment.spec!.selector.matchLabels, labels)).toBe(true);
    const hpa = theOne(models, HorizontalPodAutoscaler, 'weekly-pulse');
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'weekly-pulse' });
    expect(hpa.spec!.minReplicas).toBe(3);
    const pdb = theOne(models, PodDisruptionBudget, 'weekly-pulse');
    const service = theOne(models, Service, 'weekly-pulse');
    for (const selector of [pdb.spec!.selector?.matchLabels, service.spec!.selector]) {
      expect(matches(selector, labels)).toBe(true);
      // Not the migration or trigger pods, which carry the same app name.
      for (const other of [job.spec!.template, cronJob.spec!.jobTemplate.spec!.template]) {
        expect(matches(selector, other.metadata?.labels)).toBe(false);
      }
    }
  });

  it('resources are sized from the measured RSS (docs/DEPLOYMENT.md): request over the export peak, no CPU limit', () => {
    // Decision 0009 and docs/PERFORMANCE.md: idle 150-170 MB, a 1M-row export's peak up to 225 MB (Node 24).
    const measuredPeak = 225e6;
    const { requests, limits } = api.resources ?? {};
    expect(bytes(requests?.memory)).toBeGreaterThan(measuredPeak);
    expect(bytes(limits?.memory)).toBeGreaterThanOrEqual(2 * bytes(requests?.memory));
    expect(requests?.cpu).toBeDefined();
    expect(limits?.cpu).toBeUndefined();
    for (const container of podTemplatesOf(models).flatMap((t) => t.spec!.containers)) {
      expect(container.resources?.requests?.memory, container.name).toBeDefined();
      expect(container.resources?.limits?.memory, container.name).toBeDefined();
    }
  });
});

describe('every pod runs restricted and is reachable only as intended', () => {
  const templates: [string, IPodTemplateSpec][] = [
    ['api', apiTemplate],
    ['migrate', job.spec!.template],
    ['trigger', cronJob.spec!.jobTemplate.spec!.template],
  ];

  it.each(templates)(
    '%s: non-root uid 1000, no privilege escalation, no capabilities, RuntimeDefault seccomp, read-only root',
    (_, template) => {
      const pod = template.spec!;
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        const own = container.securityContext ?? {};
        expect(own.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, container.name).toBe(true);
        expect(own.runAsUser ?? pod.securityContext?.runAsUser, container.name).toBe(1000);
        expect(own.allowPrivilegeEscalation, container.name).toBe(false);
        expect(own.readOnlyRootFilesystem, container.name).toBe(true);
        expect(own.capabilities?.drop, container.name).toContain('ALL');
        expect(own.capabilities?.add ?? [], container.name).toEqual([]);
        expect(own.privileged ?? false, container.name).toBe(false);
        // The image's one writable path, on an emptyDir.
        const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, `${container.name}: /tmp on an emptyDir`).toBeDefined();
      }
    },
  );

  it.each(templates)('%s: isolated both ways by a NetworkPolicy', (_, template) => {
    const policies = models.filter(
      (m): m is NetworkPolicy => m instanceof NetworkPolicy && matches(m.spec!.podSelector?.matchLabels, template.metadata?.labels),
    );
    const types = new Set(policies.flatMap((p) => p.spec!.policyTypes ?? []));
    expect(types).toEqual(new Set(['Ingress', 'Egress']));
  });

  it('the API accepts the trigger and the ingress controller on its port; only the API accepts anything', () => {
    const port = loadConfig(environmentOf(api)).server.port;
    /** A peer that is these pods of the policy's own namespace (an empty or missing selector would be more). */
    const isPods = (peer: INetworkPolicyPeer, labels: Record<string, string> | undefined) =>
      !peer.namespaceSelector &&
      !peer.ipBlock &&
      Object.keys(peer.podSelector?.matchLabels ?? {}).length > 0 &&
      matches(peer.podSelector?.matchLabels, labels);
    const fromTrigger = theOne(models, NetworkPolicy, 'weekly-pulse-api').spec!.ingress!.find((rule) =>
      rule.from?.some((peer) => isPods(peer, cronJob.spec!.jobTemplate.spec!.template.metadata?.labels)),
    );
    expect(fromTrigger?.ports?.map((p) => p.port)).toContain(port);
    const fromIngress = theOne(models, NetworkPolicy, 'weekly-pulse-api').spec!.ingress!.find((rule) =>
      rule.from?.some((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx'),
    );
    expect(fromIngress?.ports?.map((p) => p.port)).toContain(port);
    const toApi = theOne(models, NetworkPolicy, 'weekly-pulse-trigger').spec!.egress!.find((rule) =>
      rule.to?.some((peer) => isPods(peer, apiTemplate.metadata?.labels)),
    );
    expect(toApi?.ports?.map((p) => p.port)).toContain(port);
    for (const name of ['weekly-pulse-migrate', 'weekly-pulse-trigger'])
      expect(theOne(models, NetworkPolicy, name).spec!.ingress ?? []).toEqual([]);
  });

  it('egress: DNS everywhere; the API to PostgreSQL, PgBouncer, Redis and HTTPS; the Job to PostgreSQL only', () => {
    const ports = (name: string) =>
      theOne(models, NetworkPolicy, name)
        .spec!.egress!.flatMap((rule) => rule.ports ?? [])
        .map((p) => `${p.protocol}/${p.port}`);
    for (const name of ['weekly-pulse-api', 'weekly-pulse-migrate', 'weekly-pulse-trigger']) expect(ports(name)).toContain('UDP/53');
    expect(ports('weekly-pulse-api')).toEqual(expect.arrayContaining(['TCP/5432', 'TCP/6432', 'TCP/6379', 'TCP/443']));
    expect(ports('weekly-pulse-migrate').sort()).toEqual(['TCP/53', 'TCP/5432', 'UDP/53']);
  });
});
