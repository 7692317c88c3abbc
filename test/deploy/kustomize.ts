// Renders deploy/kubernetes as `kubectl kustomize` does, for the features it uses (resources, namespace,
// images, patches of maps; no kustomize binary here), into kubernetes-models objects the tests validate.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';

/** The repository's root, for paths the manifests and compose.yaml name. */
export const ROOT = new URL('../../', import.meta.url).pathname;

/** One object as YAML gives it, before its kind is known. */
export interface RawObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

/** The kinds deploy/kubernetes may contain, each with the model that validates it against the API's schema. */
const MODELS = { Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, Job, CronJob, ConfigMap, NetworkPolicy, Namespace };
const CLUSTER_SCOPED = new Set(['Namespace']);
/** What the renderer understands; any other kustomization field must fail the tests, not be ignored. */
const FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

export type KubeModel = InstanceType<(typeof MODELS)[keyof typeof MODELS]>;

/** Every document of a YAML file (a syntax error throws with the file's name). */
export function readYamlDocuments(path: string, options: { merge?: boolean } = {}): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8'), { merge: options.merge ?? false }).map((doc) => {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  });
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path?: string; target?: unknown }[];
}

/** The objects a kustomization directory renders to, in order, as plain data. */
export function renderKustomization(dir: string): RawObject[] {
  const [kustomization] = readYamlDocuments(join(dir, 'kustomization.yaml')) as [Kustomization & Record<string, unknown>];
  const unsupported = Object.keys(kustomization).filter((field) => !FIELDS.has(field));
  if (unsupported.length) throw new Error(`${dir}/kustomization.yaml: the test's renderer does not apply ${unsupported.join(', ')}`);

  const objects: RawObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : (readYamlDocuments(path) as RawObject[])));
  }
  for (const patch of kustomization.patches ?? []) {
    if (!patch.path || patch.target) throw new Error(`${dir}: only strategic-merge patches named by path are rendered`);
    for (const change of readYamlDocuments(join(dir, patch.path)) as RawObject[]) {
      const targets = objects.filter(
        (o) => o.apiVersion === change.apiVersion && o.kind === change.kind && o.metadata.name === change.metadata.name,
      );
      if (targets.length !== 1) throw new Error(`${patch.path}: patches ${targets.length} objects, not one`);
      mergeMaps(targets[0]!, change, patch.path);
    }
  }
  if (kustomization.namespace) {
    for (const object of objects) if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  for (const image of kustomization.images ?? []) {
    for (const template of podTemplatesOf(objects)) {
      for (const container of template.spec?.containers ?? []) {
        const [name, tag] = (container.image ?? '').split(':');
        if (name === image.name) container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
      }
    }
  }
  return objects;
}

/** A strategic merge limited to maps (lists would need each field's merge key): enough for settings patches. */
function mergeMaps(target: Record<string, unknown>, patch: Record<string, unknown>, where: string) {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`${where}: patches a list (${key}), which the test's renderer does not merge`);
    const current = target[key];
    if (value && typeof value === 'object' && current && typeof current === 'object' && !Array.isArray(current)) {
      mergeMaps(current as Record<string, unknown>, value as Record<string, unknown>, where);
    } else if (value === null) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
}

/** The model of each object (its class by kind); an object of a kind not listed in MODELS throws. */
export function toModels(objects: RawObject[]): KubeModel[] {
  return objects.map((object) => {
    const model = MODELS[object.kind as keyof typeof MODELS];
    if (!model || model.apiVersion !== object.apiVersion) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
    return new model(object as never);
  });
}

/** The pod templates of Deployments, Jobs and CronJobs (plain data or models alike). */
export function podTemplatesOf(objects: readonly unknown[]): IPodTemplateSpec[] {
  return objects.flatMap((object) => {
    type Spec = { template?: IPodTemplateSpec; jobTemplate?: { spec?: { template?: IPodTemplateSpec } } };
    const { kind, metadata, spec } = object as { kind: string; metadata?: { name?: string }; spec?: Spec };
    if (kind !== 'Deployment' && kind !== 'Job' && kind !== 'CronJob') return [];
    const template = kind === 'CronJob' ? spec?.jobTemplate?.spec?.template : spec?.template;
    if (!template) throw new Error(`${kind} ${metadata?.name} has no pod template`);
    return [template];
  });
}

/** The one object of a kind and name (fails the test otherwise). */
export function theOne<M extends KubeModel>(models: KubeModel[], kind: abstract new (...args: never[]) => M, name: string): M {
  const found = models.filter((m): m is M => m instanceof kind && m.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind.name} ${name}, found ${found.length}`);
  return found[0]!;
}

/** The environment a container starts with: its ConfigMaps taken whole, then its env entries; `secret` gives a Secret key's value. */
export function containerEnvironment(container: IContainer, models: KubeModel[], secret: (key: string) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef?.name || source.prefix)
      throw new Error(`${container.name}: envFrom takes only whole ConfigMaps, without prefix`);
    Object.assign(env, theOne(models, ConfigMap, source.configMapRef.name).data);
  }
  for (const entry of container.env ?? []) {
    const key = entry.valueFrom?.secretKeyRef?.key;
    if (entry.value === undefined && !key) throw new Error(`${container.name}: ${entry.name} is neither a value nor a Secret key`);
    env[entry.name] = entry.value ?? secret(key!);
  }
  return env;
}
