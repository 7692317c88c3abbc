// Turns the samples of a run into results: medians over rounds, ratios between contenders of the same run,
// the issue's targets judged on them, and the markdown table printed and kept in docs/PERFORMANCE.md.
import type { Dataset } from './dataset.js';
import type { ExportSample } from './export-scenario.js';
import type { Sample } from './load.js';
import type { Machine } from './machine.js';
import type { Pinning } from './processes.js';
import type { Entry, LoadScenario } from './scenarios.js';
import { PAGE_SIZES, type StatementCountRow } from './statement-counts.js';

export interface EntryResult extends Omit<Entry, 'requests' | 'canonical' | 'verify'> {
  samples: Sample[];
  median?: { rps: number; p50: number; p99: number };
  /** Why there is no median (every sample failed, or it was skipped). */
  missing?: string;
}

export interface ScenarioResult {
  id: LoadScenario['id'];
  title: string;
  main: string;
  pending?: string;
  entries: EntryResult[];
}

export interface Target {
  scenario: string;
  goal: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface RunSettings {
  scale: string;
  durationS: number;
  rounds: number;
  warmupS: number;
  connections: number;
  only: string[];
  skipSlow: boolean;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  /** 1, 5 and 15 minute load averages when the run started and ended: other work on the machine skews it. */
  loadAverage: { start: number[]; end: number[] };
  settings: RunSettings;
  machine: Machine;
  pinning: Pinning;
  /** How weekly-pulse was started. */
  weeklyPulse: string;
  dataset: Omit<Dataset, 'weekList'>;
  scenarios: ScenarioResult[];
  exports: ExportSample[];
  statements: StatementCountRow[];
  targets: Target[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Medians over the valid samples (a sample with any failure does not count). */
export function summarise(entry: Entry, samples: Sample[], skipped?: string): EntryResult {
  const { requests: _r, canonical: _c, verify: _v, ...rest } = entry;
  const valid = samples.filter((s) => s.failures === 0 && s.responses > 0);
  if (skipped) return { ...rest, samples, missing: skipped };
  if (!valid.length) {
    const why = (s: Sample) => s.failureDetail ?? `no answer within the ${Math.round(s.durationS)} s round`;
    return { ...rest, samples, missing: [...new Set(samples.map(why))].join('; ') || 'not measured' };
  }
  return {
    ...rest,
    samples,
    median: { rps: median(valid.map((s) => s.rps)), p50: median(valid.map((s) => s.p50)), p99: median(valid.map((s) => s.p99)) },
  };
}

const rpsOf = (scenario: ScenarioResult | undefined, id: string) => scenario?.entries.find((e) => e.id === id)?.median?.rps;
const p50Of = (scenario: ScenarioResult | undefined, id: string) => scenario?.entries.find((e) => e.id === id)?.median?.p50;
const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}x`;
const MB = 2 ** 20;

/** ours / theirs throughput, when both were measured. */
function ratio(ours: number | undefined, theirs: number | undefined): number | undefined {
  return ours !== undefined && theirs !== undefined && theirs > 0 ? ours / theirs : undefined;
}

function judge(
  scenario: string,
  goal: string,
  value: number | undefined,
  met: (v: number) => boolean,
  show: (v: number) => string,
): Target {
  return value === undefined || Number.isNaN(value)
    ? { scenario, goal, measured: 'not measured', met: null }
    : { scenario, goal, measured: show(value), met: met(value) };
}

export function judgeTargets(
  scenarios: ScenarioResult[],
  exports: ExportSample[],
  statements: StatementCountRow[],
  scale: string,
): Target[] {
  const s = (id: string) => scenarios.find((x) => x.id === id);
  const targets: Target[] = [];
  for (const id of ['a', 'b']) {
    const wp = rpsOf(s(id), 'wp');
    targets.push(
      judge(
        id,
        "at least 50% of the limit's throughput",
        ratio(wp, rpsOf(s(id), 'limit')),
        (r) => r >= 0.5,
        (r) => `${(r * 100).toFixed(0)}% of the limit`,
      ),
    );
    targets.push(
      judge(
        id,
        'at least as fast as PostGraphile',
        ratio(wp, rpsOf(s(id), 'postgraphile')),
        (r) => r >= 1,
        (r) => `${times(r)} PostGraphile`,
      ),
    );
  }
  targets.push(
    judge(
      'b',
      'at least 10x the naive baseline',
      ratio(rpsOf(s('b'), 'wp'), rpsOf(s('b'), 'naive')),
      (r) => r >= 10,
      (r) => `${times(r)} naive`,
    ),
  );
  targets.push(
    judge(
      'c',
      'deep page within 1.2x of page 1',
      ratio(rpsOf(s('c'), 'wp-first'), rpsOf(s('c'), 'wp-deep')),
      (r) => r <= 1.2,
      (r) => {
        const latency = ratio(p50Of(s('c'), 'wp-deep'), p50Of(s('c'), 'wp-first'));
        return `page 1 does ${times(r)} the deep page's req/s${latency ? `; deep p50 is ${times(latency)} page 1's` : ''}`;
      },
    ),
  );
  const atScale = scale === 'large' ? '' : ` (measured at ${scale} scale; the goal is for --scale large)`;
  // Judged under the run's load; the median of one request at a time is shown beside it.
  const alone = p50Of(s('d'), 'wp-alone');
  targets.push(
    judge(
      'd',
      'computed: median under 50 ms at large scale',
      p50Of(s('d'), 'wp'),
      (v) => v < 50,
      (v) =>
        `p50 ${v.toFixed(1)} ms at the run's concurrency${alone !== undefined ? `, ${alone.toFixed(1)} ms one request at a time` : ''}${atScale}`,
    ),
  );
  for (const id of ['wp-redis', 'wp-memory']) {
    const where = id === 'wp-redis' ? 'Redis' : 'memory';
    targets.push(
      judge(
        'd',
        `cached (${where}) within 1.5x of the Redis limit endpoint`,
        ratio(rpsOf(s('d'), 'limit-redis'), rpsOf(s('d'), id)),
        (r) => r <= 1.5,
        (r) => `the limit does ${times(r)} its req/s`,
      ),
    );
  }
  targets.push(
    judge(
      'e',
      'persisted at least 1.1x of text',
      ratio(rpsOf(s('e'), 'persisted'), rpsOf(s('e'), 'text')),
      (r) => r >= 1.1,
      (r) => `${times(r)} text`,
    ),
  );
  targets.push(
    judge(
      'h',
      "at least 50% of bare Yoga's throughput",
      ratio(rpsOf(s('h'), 'wp'), rpsOf(s('h'), 'bare-yoga')),
      (r) => r >= 0.5,
      (r) =>
        `${(r * 100).toFixed(0)}% of bare Yoga (the limit does ${times(ratio(rpsOf(s('h'), 'limit'), rpsOf(s('h'), 'wp')) ?? Number.NaN)} ours)`,
    ),
  );
  const ours = exports.filter((x) => x.contender === 'wp' && !x.failure);
  const copyLimit = exports.find((x) => x.contender === 'psql-copy' && !x.failure)?.rowsPerSecond;
  targets.push(
    judge(
      'f',
      'at least 100k rows/s',
      ours.length ? median(ours.map((x) => x.rowsPerSecond)) : undefined,
      (v) => v >= 100_000,
      (v) =>
        `${Math.round(v).toLocaleString('en')} rows/s${copyLimit ? ` (${((v / copyLimit) * 100).toFixed(0)}% of psql's single COPY)` : ''}`,
    ),
  );
  targets.push(
    judge(
      'f',
      'peak RSS under 200 MB',
      ours.length ? Math.max(...ours.map((x) => x.peakRss)) : undefined,
      (v) => v < 200 * MB,
      (v) => `${(v / MB).toFixed(0)} MB`,
    ),
  );
  for (const id of ['a', 'b'] as const) {
    const row = statements.find((r) => r.scenario === id && r.contender === 'wp');
    const counts = row ? PAGE_SIZES.map((n) => row.perRequest[n]!) : undefined;
    targets.push(
      counts
        ? {
            scenario: 'g',
            goal: `(${id}) statements constant in page size`,
            measured: counts.join(' / '),
            met: counts.every((c) => c === counts[0]),
          }
        : { scenario: 'g', goal: `(${id}) statements constant in page size`, measured: 'not measured', met: null },
    );
  }
  return targets;
}

const fmt = (v: number | undefined, digits = 1) =>
  v === undefined || Number.isNaN(v) ? '—' : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Requests per second; below 1, enough digits to tell a request a minute from none. */
const fmtRps = (v: number) => (v < 1 ? v.toPrecision(2) : fmt(v));

function scenarioTable(scenario: ScenarioResult, rounds: number): string[] {
  const lines = [`### ${scenario.title}`, ''];
  if (scenario.pending) return [...lines, `Pending: ${scenario.pending}.`, ''];
  lines.push('| contender | req/s | p50 ms | p99 ms | ours ÷ this (req/s) | rounds |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const e of scenario.entries) {
    const against = e.ours ? undefined : (e.against ?? scenario.main);
    const r = against ? ratio(rpsOf(scenario, against), e.median?.rps) : undefined;
    const ratioText = e.ours ? '(ours)' : r === undefined ? '—' : `${times(r)}${against !== scenario.main ? ` vs ${against}` : ''}`;
    const valid = e.samples.filter((x) => x.failures === 0).length;
    const roundsText = e.sequential
      ? `${valid} (sequential, 1 connection)`
      : `${valid}/${rounds}${e.connections ? ` (${e.connections} connection${e.connections > 1 ? 's' : ''})` : ''}`;
    if (!e.median) {
      lines.push(`| ${e.label} | ${e.missing ?? 'failed'} | | | | ${roundsText} |`);
      continue;
    }
    lines.push(
      `| ${e.label} | ${fmtRps(e.median.rps)} | ${fmt(e.median.p50, 2)} | ${fmt(e.median.p99, 2)} | ${ratioText} | ${roundsText} |`,
    );
  }
  return [...lines, ''];
}

export function markdown(results: Results): string {
  const { machine, settings, dataset } = results;
  const mark = (m: boolean | null) => (m === null ? 'not measured' : m ? 'met' : '**missed**');
  const lines = [
    `Run ${results.startedAt} to ${results.finishedAt} on commit \`${machine.git.commit.slice(0, 12)}\`${machine.git.dirty ? ' (with uncommitted changes)' : ''}.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.os}; Node ${machine.node}; PostgreSQL ${machine.postgres}; Redis ${machine.redis}.`,
    `- Pinning: ${results.pinning.note}. Load average (1/5/15 min) at start ${results.loadAverage.start.map((x) => x.toFixed(2)).join(' / ')}, at end ${results.loadAverage.end.map((x) => x.toFixed(2)).join(' / ')}.`,
    `- weekly-pulse started as \`${results.weeklyPulse}\`; every other contender with \`node --import tsx\`.`,
    `- Dataset (${settings.scale}): ${dataset.users.toLocaleString('en')} users x ${dataset.weeks} weeks = ${dataset.reports.toLocaleString('en')} reports (${dataset.hrMetrics.toLocaleString('en')} with HR, ${dataset.opsMetrics.toLocaleString('en')} with ops metrics).`,
    `- Load: autocannon, ${settings.connections} connections, ${settings.warmupS} s warm-up per entry, then ${settings.rounds} interleaved rounds of ${settings.durationS} s; medians over rounds. Latency per response, in ms.`,
    `- Versions: ${Object.entries(machine.packages)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '### Targets',
    '',
    '| scenario | goal | measured | |',
    '| --- | --- | --- | --- |',
    // Targets of the scenarios this run was asked for (a partial run leaves the others out).
    ...results.targets
      .filter((t) => settings.only.includes(t.scenario))
      .map((t) => `| ${t.scenario} | ${t.goal} | ${t.measured} | ${mark(t.met)} |`),
    '',
    ...results.scenarios.flatMap((s) => scenarioTable(s, settings.rounds)),
  ];
  if (results.exports.length) {
    lines.push(
      '### (f) CSV export of every report (fresh server per run)',
      '',
      '| contender | rows | seconds | rows/s | MB sent | RSS at start | peak RSS |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.exports.map((x) =>
        x.failure
          ? `| ${x.label} | failed after ${x.seconds.toFixed(1)} s: ${x.failure.split(';')[0]} | | | | ${fmt(x.rssAtStart / MB, 0)} MB | ${fmt(x.peakRss / MB, 0)} MB |`
          : `| ${x.label} | ${x.rows.toLocaleString('en')} | ${x.seconds.toFixed(1)} | ${Math.round(x.rowsPerSecond).toLocaleString('en')} | ${fmt(x.bytes / MB, 0)} | ${x.contender === 'psql-copy' ? '(psql: not measured)' : `${fmt(x.rssAtStart / MB, 0)} MB`} | ${x.contender === 'psql-copy' ? '' : `${fmt(x.peakRss / MB, 0)} MB`} |`,
      ),
      '',
    );
  }
  if (results.statements.length) {
    lines.push(
      '### (g) SQL statements per request, counted on the wire',
      '',
      `| scenario | contender | ${PAGE_SIZES.map((n) => `first: ${n}`).join(' | ')} |`,
      `| --- | --- | ${PAGE_SIZES.map(() => '---:').join(' | ')} |`,
      ...results.statements.map((r) => `| (${r.scenario}) | ${r.label} | ${PAGE_SIZES.map((n) => fmt(r.perRequest[n], 1)).join(' | ')} |`),
      '',
    );
  }
  return lines.join('\n');
}
