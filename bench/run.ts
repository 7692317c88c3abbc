// `npm run bench`: prepares the dataset, starts every contender, proves they all answer the same data, warms
// them up, measures each scenario in interleaved rounds, then the export (f) and statement counts (g), and
// prints one markdown report (raw results in bench/results/, --publish also writes docs/PERFORMANCE.md).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { relative, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createTokenSigner } from '../src/infra/auth/jwt.js';
import { EXPORT_PATH } from '../src/services/export-weekly-reports.js';
import { startReplication } from './replication.js';
import { prepareDataset } from './dataset.js';
import { measureExport, measurePsqlCopy, type ExportSample } from './export-scenario.js';
import { loadTest, sequentialTest, type HttpRequest, type Sample } from './load.js';
import { describeMachine } from './machine.js';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './options.js';
import {
  killContenders,
  pinLoadGenerator,
  prepareWeeklyPulse,
  ROOT,
  startContender,
  type ContenderId,
  type Environment,
  type Pinning,
  type RunningContender,
  type WeeklyPulseLaunch,
} from './processes.js';
import { judgeTargets, markdown, summarise, type Results, type ScenarioResult } from './report.js';
import {
  buildScenarios,
  DASHBOARD,
  PG_LAST_CURSOR,
  persistedDashboardDocument,
  WP_LAST_CURSOR,
  type Entry,
  type LoadScenario,
} from './scenarios.js';
import { countStatements, type StatementCountRow } from './statement-counts.js';

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (!response.ok || body.errors) throw new Error(`${url}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

/** Answers of the validation round, kept per contender and request (the old REST list is fetched once). */
type Answer = { status: number; text: string } | { error: string };

async function fetchOnce(
  cache: Map<string, Promise<Answer>>,
  server: RunningContender,
  request: HttpRequest,
  timeoutS: number,
): Promise<Answer> {
  const key = `${server.id} ${request.method} ${request.path} ${request.body ?? ''}`;
  let answer = cache.get(key);
  if (!answer) {
    const send = () =>
      fetch(`${server.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutS * 1000),
      });
    // Once more on a network error: a kept-alive connection the server closed while we waited elsewhere
    // (its 5 s idle timeout) fails the first attempt without the server being at fault.
    answer = send()
      .catch(send)
      .then(
        async (r) => ({ status: r.status, text: await r.text() }),
        (error: unknown) => ({ error: `${String(error)}; server output: ${server.output().slice(-500) || '(none)'}` }),
      );
    cache.set(key, answer);
  }
  return answer;
}

/**
 * Sends each entry's first request once: it must succeed, pass its check, and reduce to the same data as
 * every other entry of its group. Returns why an entry may not be measured (entry id -> reason).
 */
async function validate(
  scenario: LoadScenario,
  servers: Map<ContenderId, RunningContender>,
  options: BenchOptions,
  cache: Map<string, Promise<Answer>>,
) {
  const refused = new Map<string, string>();
  const reference = new Map<string, { id: string; data: string }>();
  for (const entry of scenario.entries) {
    if (entry.sequential && options.skipSlow) {
      refused.set(entry.id, 'skipped (--skip-slow)');
      continue;
    }
    const server = servers.get(entry.contender)!;
    const answer = await fetchOnce(cache, server, entry.requests[0]!, entry.sequential ? 600 : options.timeoutS);
    if ('error' in answer || answer.status !== 200 || (entry.verify && !entry.verify(answer.text))) {
      const detail = 'error' in answer ? answer.error : `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
      refused.set(entry.id, `failed its check: ${detail}`);
      continue;
    }
    if (!entry.canonical) continue;
    let data: string;
    try {
      data = JSON.stringify(entry.canonical(JSON.parse(answer.text)));
    } catch (error) {
      refused.set(entry.id, `answer not understood: ${String(error)}`);
      continue;
    }
    const group = entry.group ?? 'all';
    const first = reference.get(group);
    if (!first) reference.set(group, { id: entry.id, data });
    else if (first.data !== data) {
      refused.set(entry.id, `answers other data than ${first.id}`);
      log(`(${scenario.id}) ${entry.id} differs from ${first.id}:\n  ${data.slice(0, 400)}\n  ${first.data.slice(0, 400)}`);
    }
  }
  return refused;
}

async function measureEntry(entry: Entry, server: RunningContender, options: BenchOptions, durationS: number): Promise<Sample> {
  const sample = entry.sequential
    ? await sequentialTest(server.url, entry.requests[0]!, { durationS, timeoutS: 600 })
    : await loadTest(server.url, entry.requests, {
        connections: entry.connections ?? options.connections,
        durationS,
        timeoutS: options.timeoutS,
        verify: entry.verify,
      });
  // Requests cut off when the time was up still run in the server and the database: let them finish
  // before the next contender's turn, so they do not slow it down.
  await server.settle();
  return sample;
}

async function runLoadScenarios(
  scenarios: LoadScenario[],
  servers: Map<ContenderId, RunningContender>,
  options: BenchOptions,
): Promise<ScenarioResult[]> {
  // Every check first, so the answers held for comparing (the old REST list is hundreds of megabytes) are
  // garbage before the first measurement, not a heap the load generator drags through it.
  const cache = new Map<string, Promise<Answer>>();
  const refusals = new Map<string, Map<string, string>>();
  for (const scenario of scenarios.filter((s) => !s.pending)) {
    log(`(${scenario.id}) checking that every contender answers the same data`);
    const refused = await validate(scenario, servers, options, cache);
    for (const [id, reason] of refused) log(`(${scenario.id}) ${id}: ${reason}`);
    refusals.set(scenario.id, refused);
  }
  cache.clear();

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    if (scenario.pending) {
      log(`(${scenario.id}) pending: ${scenario.pending}`);
      results.push({ id: scenario.id, title: scenario.title, main: scenario.main, pending: scenario.pending, entries: [] });
      continue;
    }
    const refused = refusals.get(scenario.id)!;
    const measured = scenario.entries.filter((e) => !refused.has(e.id));
    if (options.warmupS > 0) {
      log(`(${scenario.id}) warming up`);
      for (const entry of measured.filter((e) => !e.sequential))
        await measureEntry(entry, servers.get(entry.contender)!, options, options.warmupS);
    }
    const samples = new Map<string, Sample[]>(scenario.entries.map((e) => [e.id, []]));
    for (let round = 1; round <= options.rounds; round++) {
      for (const entry of measured) {
        // One answer of the old REST list takes longer than a round: once is enough to know.
        if (entry.sequential && round > 1) continue;
        const sample = await measureEntry(entry, servers.get(entry.contender)!, options, options.durationS);
        samples.get(entry.id)!.push(sample);
        log(
          `(${scenario.id}) round ${round}/${options.rounds} ${entry.id}: ${sample.rps.toFixed(1)} req/s, p50 ${sample.p50.toFixed(2)} ms, ` +
            `p99 ${sample.p99.toFixed(2)} ms${sample.failures ? `, FAILED: ${sample.failureDetail}` : ''}`,
        );
      }
    }
    results.push({
      id: scenario.id,
      title: scenario.title,
      main: scenario.main,
      entries: scenario.entries.map((e) => summarise(e, samples.get(e.id)!, refused.get(e.id))),
    });
  }
  return results;
}

async function deepCursors(servers: Map<ContenderId, RunningContender>, token: string) {
  const wp = servers.get('wp');
  const postgraphile = servers.get('postgraphile');
  return {
    wp: wp ? ((await post(wp.url, WP_LAST_CURSOR, {}, token)).weeklyReports.edges[0].cursor as string) : '',
    postgraphile: postgraphile ? ((await post(postgraphile.url, PG_LAST_CURSOR, {})).weeklyReports.edges[0].cursor as string) : '',
  };
}

/** An export that ended early is a failure, however fast it was. */
function complete(sample: ExportSample, reports: number): ExportSample {
  return sample.failure || sample.rows === reports ? sample : { ...sample, failure: `${sample.rows} rows instead of ${reports}` };
}

async function runExports(
  environment: Environment,
  pinning: Pinning,
  launch: WeeklyPulseLaunch,
  token: string,
  reports: number,
  options: BenchOptions,
): Promise<ExportSample[]> {
  const samples: ExportSample[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const sample = complete(
      await measureExport('wp', EXPORT_PATH, { authorization: `Bearer ${token}` }, environment, pinning, launch, 900),
      reports,
    );
    log(
      `(f) round ${round}/${options.rounds} weekly-pulse: ${sample.rows} rows in ${sample.seconds.toFixed(1)} s, peak RSS ${(sample.peakRss / 2 ** 20).toFixed(0)} MB${sample.failure ? `, FAILED: ${sample.failure}` : ''}`,
    );
    samples.push(sample);
  }
  const limit = complete(await measurePsqlCopy(environment.databaseUrl, 900), reports);
  log(
    `(f) limit (psql, one COPY): ${limit.rows} rows in ${limit.seconds.toFixed(1)} s${limit.failure ? `, FAILED: ${limit.failure}` : ''}`,
  );
  samples.push(limit);
  if (!options.skipSlow) {
    const sample = complete(await measureExport('rest-old', '/api/export', {}, environment, pinning, launch, 900), reports);
    log(
      `(f) old REST: ${sample.rows} rows in ${sample.seconds.toFixed(1)} s, peak RSS ${(sample.peakRss / 2 ** 20).toFixed(0)} MB${sample.failure ? `, FAILED: ${sample.failure}` : ''}`,
    );
    samples.push(sample);
  }
  return samples;
}

const beginMarker = (scale: string) =>
  `<!-- bench:begin ${scale} (generated by \`npm run bench -- --publish\`; edit outside these markers) -->`;
const endMarker = (scale: string) => `<!-- bench:end ${scale} -->`;

/**
 * Replaces the generated part of docs/PERFORMANCE.md for this run's scale (one part per scale, added at the
 * end when there is none yet), keeping what people wrote around it.
 */
function publish(report: string, resultsFile: string, scale: string) {
  const path = `${ROOT}docs/PERFORMANCE.md`;
  let current: string;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = '# Performance\n\nThe latest full runs of `npm run bench`; bench/README.md explains every scenario and contender.\n';
  }
  const generated = `${beginMarker(scale)}\n\n## Latest run, ${scale} scale\n\nRaw results: \`${resultsFile}\`.\n\n${report}\n${endMarker(scale)}`;
  const begin = current.indexOf(beginMarker(scale));
  const end = current.indexOf(endMarker(scale));
  const next =
    begin >= 0 && end > begin
      ? current.slice(0, begin) + generated + current.slice(end + endMarker(scale).length)
      : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(path, next);
}

async function dropRedisKeys(redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch (error) {
    log(`could not drop this run's Redis keys (${prefix}*): ${String(error)}`);
  } finally {
    redis.disconnect();
  }
}

/** Prints (and with --publish writes) the report of a past run, with targets judged by today's rules. */
function renderAgain(file: string, write: boolean) {
  const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  for (const scenario of results.scenarios) {
    // Medians again from the samples (entries never measured keep the reason they were not).
    scenario.entries = scenario.entries.map(({ median: _median, missing, samples, ...entry }) =>
      samples.length ? summarise({ ...entry, requests: [] }, samples) : { ...entry, samples, missing },
    );
  }
  results.targets = judgeTargets(results.scenarios, results.exports, results.statements, results.settings.scale);
  const report = markdown(results);
  console.log(report);
  if (write) {
    publish(report, relative(ROOT, resolve(file)), results.settings.scale);
    log('docs/PERFORMANCE.md updated');
  }
}

/** Other work on the machine skews every number: wait for it to calm down (at most 30 minutes). */
async function waitForQuiet(maxLoad: number) {
  const deadline = Date.now() + 30 * 60_000;
  while (os.loadavg()[0]! > maxLoad) {
    if (Date.now() > deadline) {
      log(`load average still ${os.loadavg()[0]!.toFixed(2)} after 30 minutes: starting anyway (it is in the report)`);
      return;
    }
    log(`load average ${os.loadavg()[0]!.toFixed(2)} > ${maxLoad}: waiting`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
}

async function main() {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message ? `bench: ${error.message}\n${USAGE}` : USAGE);
    process.exit(error.message ? 2 : 0);
  }
  if (options.report) return renderAgain(options.report, options.publish);
  if (options.rounds < 3) log(`only ${options.rounds} round(s): fine for trying things, not for numbers to publish`);
  // Every contender runs on this process's Node (process.execPath): numbers to publish come from the pinned one.
  const pinnedNode = `v${readFileSync(new URL('../.nvmrc', import.meta.url), 'utf8').trim()}`;
  if (process.version !== pinnedNode)
    log(`running on Node ${process.version}, not the pinned ${pinnedNode} (.nvmrc): fine for trying things, not for numbers to publish`);
  if (options.maxLoad !== undefined) await waitForQuiet(options.maxLoad);
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const pinning = pinLoadGenerator(os.cpus().length, options.pin);
  log(pinning.note);
  const runId = startedAt.toISOString().replace(/[:.]/g, '-');
  const environment: Environment = {
    databaseUrl: options.databaseUrl,
    redisUrl: options.redisUrl,
    redisPrefix: `bench:${runId}:`,
    jwtSecret: randomBytes(48).toString('base64'),
  };
  const launch = prepareWeeklyPulse(options.fromSource, log);
  const dataset = await prepareDataset(options.databaseUrl, options.size, { reseed: options.reseed, log });
  log(`dataset: ${dataset.users} users, ${dataset.reports} reports, weeks ${dataset.weekList[0]}..${dataset.latestWeek}`);
  const machine = await describeMachine(options.databaseUrl, options.redisUrl);
  const token = await createTokenSigner({ secret: environment.jwtSecret, ttl: '12h' })(String(dataset.analystId));

  // (i) needs a primary and a replica of its own, holding the same dataset (seeded alike: the same ids).
  const replication = options.only.includes('i') ? await startReplication(options.size, log) : undefined;
  if (replication) {
    // Its servers are this run's: gone however the run ends.
    process.once('exit', () => replication.destroy());
    environment.replication = { primaryUrl: replication.primaryUrl, replicaUrl: replication.replicaUrl };
    if (replication.dataset.analystId !== dataset.analystId || replication.dataset.reports !== dataset.reports) {
      replication.destroy();
      throw new Error('(i) the private primary does not hold the same dataset as the benchmark database');
    }
  } else if (options.only.includes('i')) {
    options.only = options.only.filter((id) => id !== 'i');
  }
  const selected = new Set(options.only);
  const redisKey = `${environment.redisPrefix}limit:dashboard`;
  const persisted = persistedDashboardDocument(new URL('../operations/generated/persisted-documents.json', import.meta.url));
  let scenarioResults: ScenarioResult[] = [];
  const loadIds = options.only.filter((s): s is LoadScenario['id'] => s !== 'f' && s !== 'g');
  if (loadIds.length) {
    // Which processes the selected scenarios need (built once with placeholder cursors to find out).
    const draft = buildScenarios({ dataset, token, deepCursors: { wp: '', postgraphile: '' }, redisKey, persisted }).filter((s) =>
      selected.has(s.id),
    );
    const needed = [...new Set(draft.flatMap((s) => s.entries.map((e) => e.contender)))];
    log(`starting ${needed.join(', ')}`);
    const servers = new Map<ContenderId, RunningContender>();
    try {
      for (const id of needed) servers.set(id, await startContender(id, environment, pinning, launch));
      const cursors = selected.has('c') ? await deepCursors(servers, token) : { wp: '', postgraphile: '' };
      if (selected.has('d') && servers.has('wp-redis') && servers.has('limit')) {
        // The limit's cache hit serves exactly the bytes weekly-pulse answers for the same dashboard.
        const response = await fetch(`${servers.get('wp-redis')!.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: DASHBOARD, variables: { week: dataset.latestWeek } }),
        });
        const redis = new Redis(options.redisUrl);
        await redis.set(redisKey, Buffer.from(await response.arrayBuffer()), 'EX', 24 * 3600);
        redis.disconnect();
      }
      const scenarios = buildScenarios({ dataset, token, deepCursors: cursors, redisKey, persisted }).filter((s) => selected.has(s.id));
      scenarioResults = await runLoadScenarios(scenarios, servers, options);
    } finally {
      await Promise.all([...servers.values()].map((s) => s.stop()));
    }
  }
  const exports = selected.has('f') ? await runExports(environment, pinning, launch, token, dataset.reports, options) : [];
  let statements: StatementCountRow[] = [];
  if (selected.has('g')) {
    log('(g) counting statements per request');
    statements = await countStatements(environment, pinning, launch, token);
  }
  await dropRedisKeys(options.redisUrl, environment.redisPrefix);

  const { weekList: _weeks, ...datasetFacts } = dataset;
  const results: Results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: os.loadavg() },
    settings: {
      scale: options.scale,
      durationS: options.durationS,
      rounds: options.rounds,
      warmupS: options.warmupS,
      connections: options.connections,
      only: options.only,
      skipSlow: options.skipSlow,
    },
    machine,
    pinning,
    weeklyPulse: launch.description,
    dataset: datasetFacts,
    scenarios: scenarioResults,
    exports,
    statements,
    targets: judgeTargets(scenarioResults, exports, statements, options.scale),
  };
  const report = markdown(results);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const resultsFile = `bench/results/${runId}.json`;
  writeFileSync(`${ROOT}${resultsFile}`, `${JSON.stringify(results, null, 2)}\n`);
  console.log(report);
  log(`raw results: ${resultsFile}`);
  if (options.publish) {
    publish(report, resultsFile, options.scale);
    log('docs/PERFORMANCE.md updated');
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killContenders();
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  killContenders();
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
