// Load generation: autocannon at a fixed concurrency for throughput, with every response's own latency
// recorded (autocannon's histogram rounds to whole milliseconds, too coarse for sub-millisecond endpoints);
// and a sequential mode for the baseline endpoints whose single answer takes longer than a round.
import autocannon from 'autocannon';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Sample {
  /** Successful responses per second. */
  rps: number;
  /** Latency percentiles of successful responses, in milliseconds. */
  p50: number;
  p99: number;
  responses: number;
  /** Errors, timeouts, non-2xx answers and bodies that failed the check; a sample with any is invalid. */
  failures: number;
  failureDetail?: string;
  bytesPerResponse: number;
  durationS: number;
  mode: 'load' | 'sequential';
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function latencySummary(latencies: number[]) {
  const sorted = Float64Array.from(latencies).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * Keeps `connections` requests in flight for `durationS` seconds. Several requests are sent in turn across
 * all connections (one shared counter), so concurrent requests differ when they should.
 */
export function loadTest(
  baseUrl: string,
  requests: HttpRequest[],
  options: { connections: number; durationS: number; timeoutS: number; verify?: (body: string) => boolean },
): Promise<Sample> {
  let next = 0;
  const rotating = requests.length > 1;
  const first = requests[0]!;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.durationS,
        timeout: options.timeoutS,
        requests: [
          rotating
            ? { setupRequest: (raw) => ({ ...raw, ...requests[next++ % requests.length]! }) }
            : { method: first.method, path: first.path, headers: first.headers, body: first.body },
        ],
        ...(options.verify ? { verifyBody: options.verify } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        const ok = result['2xx'];
        const failures = result.errors + result.timeouts + result.non2xx + result.mismatches;
        const codes = Object.entries(result.statusCodeStats)
          .filter(([code]) => !code.startsWith('2'))
          .map(([code, s]) => `${s.count}x HTTP ${code}`);
        resolve({
          rps: ok / result.duration,
          ...latencySummary(latencies),
          responses: ok,
          failures,
          ...(failures
            ? {
                failureDetail: [
                  ...codes,
                  result.errors ? `${result.errors} errors` : '',
                  result.timeouts ? `${result.timeouts} timeouts` : '',
                  result.mismatches ? `${result.mismatches} bodies failed the check` : '',
                ]
                  .filter(Boolean)
                  .join(', '),
              }
            : {}),
          bytesPerResponse: ok ? result.throughput.total / ok : 0,
          durationS: result.duration,
          mode: 'load',
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/**
 * One request after another for `durationS` (at least one), each body streamed and dropped: for baseline
 * endpoints that answer hundreds of megabytes in tens of seconds.
 */
export async function sequentialTest(
  baseUrl: string,
  request: HttpRequest,
  options: { durationS: number; timeoutS: number },
): Promise<Sample> {
  const latencies: number[] = [];
  let bytes = 0;
  let failures = 0;
  let failureDetail: string | undefined;
  const started = performance.now();
  do {
    const t0 = performance.now();
    try {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutS * 1000),
      });
      let size = 0;
      for await (const chunk of response.body!) size += (chunk as Uint8Array).byteLength;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      latencies.push(performance.now() - t0);
      bytes += size;
    } catch (error) {
      failures += 1;
      failureDetail = String(error);
    }
  } while (performance.now() - started < options.durationS * 1000 && failures === 0);
  const durationS = (performance.now() - started) / 1000;
  return {
    rps: latencies.length / durationS,
    ...latencySummary(latencies),
    responses: latencies.length,
    failures,
    ...(failureDetail ? { failureDetail } : {}),
    bytesPerResponse: latencies.length ? bytes / latencies.length : 0,
    durationS,
    mode: 'sequential',
  };
}
