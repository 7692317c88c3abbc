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

/**
 * An object that stands for `JSON.parse(json)` and parses it on first use. A cache hit's data is usually
 * only sent (from its stored JSON, by `withStoredJson`), never read: on Redis, parsing it on every hit was
 * most of what a hit cost beyond the memory store's. Every read goes through to the parsed object (a
 * Proxy), so a plugin or serializer that does look inside sees exactly the parsed data.
 */
export function lazilyParsed(json: string): Record<string, unknown> {
  let parsed: object | undefined;
  const value = () => (parsed ??= JSON.parse(json) as object);
  return new Proxy({} as Record<string, unknown>, {
    get: (_target, key) => Reflect.get(value(), key),
    has: (_target, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(value(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(value()),
    set: (_target, key, v) => Reflect.set(value(), key, v),
    deleteProperty: (_target, key) => Reflect.deleteProperty(value(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(value(), key, descriptor),
  });
}

/**
 * The JSON of `data` inside `raw`, the JSON text of `parsed` (stored, or read back and parsed), when `data`
 * is its first member; undefined otherwise. The members after it (Yoga stores its ETag headers in
 * `extensions.http`) are serialised again to find where `data` ends: they are small.
 */
export function dataJsonOf(raw: string, parsed: ExecutionResult): string | undefined {
  const { data, ...rest } = parsed;
  if (data === undefined || Object.keys(parsed)[0] !== 'data' || !raw.startsWith('{"data":')) return undefined;
  const restJson = JSON.stringify(rest);
  const suffix = restJson === '{}' ? '}' : `,${restJson.slice(1)}`;
  return raw.endsWith(suffix) && raw.length > 8 + suffix.length ? raw.slice(8, raw.length - suffix.length) : undefined;
}
