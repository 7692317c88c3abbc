// Where persisted GraphQL documents come from: the dashboard's reviewed manifest (operations/generated,
// read once at start) and documents analysts registered the APQ way (Redis with a TTL, shared by every
// instance; a bounded in-memory map without Redis). Ids are the sha256 of the text, in lowercase hex.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

export const MANIFEST_URL = new URL('../../operations/generated/persisted-documents.json', import.meta.url);

/** Registrations kept in memory without Redis; the oldest unused goes first. */
const MAX_MEMORY_DOCUMENTS = 1_000;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `sha256:<hex>` (codegen, GraphQL over HTTP `documentId`) or bare `<hex>` (Apollo APQ) to lowercase hex; undefined if neither. */
export function documentHashOf(id: string): string | undefined {
  const match = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(id);
  return match?.[1]!.toLowerCase();
}

export interface PersistedDocuments {
  /** The reviewed document with this hash (the dashboard's manifest), if any. */
  trusted(hash: string): string | undefined;
  /** A document registered at run time (APQ); a Redis failure counts as not found. */
  registered(hash: string): Promise<string | undefined>;
  /** Keeps a document whose hash the caller has checked, for `ttlSeconds`. */
  register(hash: string, text: string): Promise<void>;
}

/** Reads a codegen manifest (`{ "sha256:<hex>": "<document>" }`), refusing any entry whose hash is not its text's. */
export function loadManifest(url: URL = MANIFEST_URL): Map<string, string> {
  const entries = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  const manifest = new Map<string, string>();
  for (const [id, text] of Object.entries(entries)) {
    const hash = documentHashOf(id);
    if (typeof text !== 'string' || hash === undefined || sha256Hex(text) !== hash) {
      throw new Error(`persisted documents manifest ${url.pathname}: entry ${id} does not match its text; run \`npm run codegen\``);
    }
    manifest.set(hash, text);
  }
  return manifest;
}

export function createPersistedDocuments(options: {
  manifest: Map<string, string>;
  ttlSeconds: number;
  redis?: { client: Redis; keyPrefix: string };
  logger: Logger;
}): PersistedDocuments {
  const { manifest, ttlSeconds, redis, logger } = options;
  const store = redis ? redisStore(redis, ttlSeconds, logger) : memoryStore(ttlSeconds);
  return { trusted: (hash) => manifest.get(hash), ...store };
}

function redisStore({ client, keyPrefix }: { client: Redis; keyPrefix: string }, ttlSeconds: number, logger: Logger) {
  const key = (hash: string) => `${keyPrefix}pq:${hash}`;
  return {
    async registered(hash: string) {
      try {
        return (await client.get(key(hash))) ?? undefined;
      } catch {
        // Redis trouble is a miss: Apollo's link then sends the text, which analysts may do anyway.
        return undefined;
      }
    },
    async register(hash: string, text: string) {
      try {
        await client.set(key(hash), text, 'EX', ttlSeconds);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message }, hash }, 'could not register a persisted document');
      }
    },
  };
}

function memoryStore(ttlSeconds: number) {
  const documents = new Map<string, { text: string; expiresAt: number }>();
  return {
    async registered(hash: string) {
      const entry = documents.get(hash);
      if (!entry) return undefined;
      documents.delete(hash);
      if (entry.expiresAt <= Date.now()) return undefined;
      documents.set(hash, entry); // most recently used last
      return entry.text;
    },
    async register(hash: string, text: string) {
      documents.delete(hash);
      documents.set(hash, { text, expiresAt: Date.now() + ttlSeconds * 1_000 });
      if (documents.size > MAX_MEMORY_DOCUMENTS) documents.delete(documents.keys().next().value!);
    },
  };
}
