// (f) The CSV export of every report: rows per second as the client receives them, and the server's peak
// resident memory, in a fresh process per measurement (VmHWM only ever grows).
import { spawn } from 'node:child_process';
import { EXPORT_ROWS_SELECT } from '../src/services/export-weekly-reports.js';
import { startContender, type ContenderId, type Environment, type Pinning, type WeeklyPulseLaunch } from './processes.js';

export interface ExportSample {
  /** `psql-copy`: the limit, one COPY of the export's query and order streamed by psql. */
  contender: ContenderId | 'psql-copy';
  label: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  bytes: number;
  /** VmHWM of the server before the export (after start) and after it, in bytes. */
  rssAtStart: number;
  peakRss: number;
  failure?: string;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** Counts CSV records (RFC 4180: quoted fields may hold line breaks) in a streamed body, header included. */
export function csvRecordCounter() {
  let quoted = false;
  let records = 0;
  return {
    add(chunk: Uint8Array) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === QUOTE) quoted = !quoted;
        else if (byte === NEWLINE && !quoted) records += 1;
      }
    },
    records: () => records,
  };
}

export async function measureExport(
  contender: Extract<ContenderId, 'wp' | 'rest-old'>,
  path: string,
  headers: Record<string, string>,
  environment: Environment,
  pinning: Pinning,
  launch: WeeklyPulseLaunch,
  timeoutS: number,
): Promise<ExportSample> {
  const server = await startContender(contender, environment, pinning, launch);
  const rssAtStart = server.peakRss();
  const counter = csvRecordCounter();
  let bytes = 0;
  // Sampled while it runs too: a server that dies of its memory has no /proc entry left to read.
  let lastPeak = rssAtStart;
  const sampler = setInterval(() => (lastPeak = Math.max(lastPeak, server.peakRss())), 200);
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(timeoutS * 1000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    for await (const chunk of response.body!) {
      const bytesOfChunk = chunk as Uint8Array;
      bytes += bytesOfChunk.byteLength;
      counter.add(bytesOfChunk);
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = counter.records() - 1; // the header
    return {
      contender,
      label: server.label,
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      bytes,
      rssAtStart,
      peakRss: Math.max(lastPeak, server.peakRss()),
    };
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    return {
      contender,
      label: server.label,
      rows: Math.max(0, counter.records() - 1),
      seconds,
      rowsPerSecond: 0,
      bytes,
      rssAtStart,
      peakRss: Math.max(lastPeak, server.peakRss()),
      failure: `${String(error)}${server.output() ? `; server output: ${server.output().slice(-500)}` : ''}`,
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

/**
 * The (f) limit: what PostgreSQL needs for the same rows in the same order, as one COPY of the export's own
 * query streamed by psql to this process (no keyset batches, no HTTP). Peak RSS is psql's.
 */
export async function measurePsqlCopy(databaseUrl: string, timeoutS: number): Promise<ExportSample> {
  const counter = csvRecordCounter();
  let bytes = 0;
  const started = performance.now();
  const copy = `COPY (${EXPORT_ROWS_SELECT}\nORDER BY r.week, r.id) TO STDOUT (FORMAT csv)`;
  const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl, '-c', copy], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  const sample = (failure?: string): ExportSample => {
    const seconds = (performance.now() - started) / 1000;
    const rows = counter.records();
    return {
      contender: 'psql-copy',
      label: 'limit: psql, one COPY of the same query and order',
      rows,
      seconds,
      rowsPerSecond: failure ? 0 : rows / seconds,
      bytes,
      rssAtStart: 0,
      peakRss: 0,
      ...(failure ? { failure } : {}),
    };
  };
  try {
    for await (const chunk of child.stdout) {
      bytes += (chunk as Buffer).byteLength;
      counter.add(chunk as Buffer);
    }
    const code = await new Promise<number | null>((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
    );
    return code === 0 ? sample() : sample(`psql exited with ${code}: ${stderr.slice(0, 300)}`);
  } finally {
    clearTimeout(timer);
  }
}
