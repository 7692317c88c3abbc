// The command line of `npm run bench` and the environment it reads (BENCH_DATABASE_URL, BENCH_REDIS_URL).
import { parseArgs } from 'node:util';
import { SCALES, type DatasetSize } from './dataset.js';

export const USAGE = `usage: npm run bench -- [--scale default|large] [--users N --weeks W] [--reseed]
       [--duration S] [--rounds R] [--warmup S] [--connections C] [--timeout S]
       [--only a,b,c,d,e,f,g,h,i] [--skip-slow] [--no-pin] [--from-source] [--max-load L] [--publish]
       npm run bench -- --report bench/results/<file>.json [--publish]   (render a past run again)`;

export const ALL_SCENARIOS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] as const;
export type AnyScenario = (typeof ALL_SCENARIOS)[number];

export interface BenchOptions {
  scale: string;
  size: DatasetSize;
  reseed: boolean;
  durationS: number;
  rounds: number;
  warmupS: number;
  connections: number;
  timeoutS: number;
  only: AnyScenario[];
  skipSlow: boolean;
  pin: boolean;
  fromSource: boolean;
  /** Wait (up to 30 minutes) for the 1-minute load average to drop to this before starting. */
  maxLoad?: number;
  publish: boolean;
  /** Render this results file instead of running. */
  report?: string;
  databaseUrl: string;
  redisUrl: string;
}

export class UsageError extends Error {}

function loadAverage(raw: string): number {
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0)) throw new UsageError(`--max-load must be a positive number, got '${raw}'`);
  return value;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = (() => {
    try {
      return parseArgs({
        args: argv,
        strict: true,
        options: {
          scale: { type: 'string', default: 'default' },
          users: { type: 'string' },
          weeks: { type: 'string' },
          reseed: { type: 'boolean', default: false },
          duration: { type: 'string', default: '10' },
          rounds: { type: 'string', default: '3' },
          warmup: { type: 'string', default: '3' },
          connections: { type: 'string', default: '10' },
          timeout: { type: 'string', default: '60' },
          only: { type: 'string', default: ALL_SCENARIOS.join(',') },
          'skip-slow': { type: 'boolean', default: false },
          'no-pin': { type: 'boolean', default: false },
          'from-source': { type: 'boolean', default: false },
          'max-load': { type: 'string' },
          publish: { type: 'boolean', default: false },
          report: { type: 'string' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  if (values.help) throw new UsageError('');
  const integer = (name: string, raw: string, min: number) => {
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} must be an integer of at least ${min}, got '${raw}'`);
    return Number(raw);
  };
  if (!(values.scale in SCALES)) throw new UsageError(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const scale = SCALES[values.scale as keyof typeof SCALES];
  if ((values.users === undefined) !== (values.weeks === undefined)) throw new UsageError('--users and --weeks go together');
  const custom = values.users !== undefined;
  const only = values.only.split(',').map((s) => s.trim().toLowerCase());
  const unknown = only.filter((s) => !(ALL_SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) throw new UsageError(`--only: unknown scenario(s) ${unknown.join(', ')}; pick from ${ALL_SCENARIOS.join(',')}`);
  return {
    scale: custom ? 'custom' : values.scale,
    size: custom ? { users: integer('users', values.users!, 1), weeks: integer('weeks', values.weeks!, 2) } : { ...scale },
    reseed: values.reseed,
    durationS: integer('duration', values.duration, 1),
    rounds: integer('rounds', values.rounds, 1),
    warmupS: integer('warmup', values.warmup, 0),
    connections: integer('connections', values.connections, 1),
    timeoutS: integer('timeout', values.timeout, 1),
    only: only as AnyScenario[],
    skipSlow: values['skip-slow'],
    pin: !values['no-pin'],
    fromSource: values['from-source'],
    ...(values['max-load'] !== undefined ? { maxLoad: loadAverage(values['max-load']) } : {}),
    publish: values.publish,
    ...(values.report !== undefined ? { report: values.report } : {}),
    databaseUrl: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/bench',
    redisUrl: env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  };
}
