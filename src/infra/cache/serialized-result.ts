// A cached response that carries its own JSON. Yoga serialises a result with `result.stringify` when it has
// one, so a cache hit does not serialise its data again on every request (10% of a hit's CPU in issue 16's
// profile). The response cache spreads the result to add `extensions.responseCache` (the function and the
// same `data` come along); anything else added on the way is serialised as usual.
import type { ExecutionResult } from 'graphql';

type Stringified = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

/** `result` with a `stringify` that reuses `dataJson` (exactly `JSON.stringify(result.data)`) while `data` is unchanged. */
export function withStoredJson(result: ExecutionResult, dataJson: string): ExecutionResult {
  const { data } = result;
  const stringify = (response: ExecutionResult): string => {
    if (response.data !== data) return JSON.stringify(response);
    let json = `{"data":${dataJson}`;
    for (const [key, value] of Object.entries(response)) {
      if (key === 'data' || typeof value === 'function') continue;
      const member = JSON.stringify(value);
      if (member !== undefined) json += `,${JSON.stringify(key)}:${member}`;
    }
    return `${json}}`;
  };
  // Enumerable, so the cache plugin's `{ ...result }` keeps it (JSON.stringify skips functions anyway).
  return Object.assign({ ...result }, { stringify }) as Stringified;
}

/** The JSON of `data` inside a stored `{"data":...}` text, or undefined when the text holds more than data. */
export function dataJsonOf(raw: string, parsed: ExecutionResult): string | undefined {
  const keys = Object.keys(parsed);
  return keys.length === 1 && keys[0] === 'data' && raw.startsWith('{"data":') && raw.endsWith('}') ? raw.slice(8, -1) : undefined;
}
