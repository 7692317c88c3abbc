// Every `extensions.code` the API answers with, its HTTP status and what a client should do about it: the
// one list that services, schema, plugins and the export route raise from (README's table is checked
// against it by test/api/error-codes.test.ts). Use cases throw AppError; the server renders it.

interface ErrorKind {
  /**
   * The HTTP status when this error refuses the whole request. An error in one field of an operation that
   * ran answers 200 with the rest of the data (GraphQL over HTTP), whatever its code.
   */
  status: number;
  /** Refused before execution: 400 for `application/graphql-response+json`, 200 for `application/json` (GraphQL over HTTP). */
  spec?: true;
  /** Who raises it when it is not our code: Yoga's own HTTP handling. */
  raisedBy?: 'yoga';
  /** What it means to a client, for README's table. */
  meaning: string;
}

export const ERRORS = {
  BAD_USER_INPUT: {
    status: 400,
    meaning: 'an argument or variable is invalid; `extensions.field` names the input field when there is one',
  },
  UNAUTHENTICATED: { status: 401, meaning: 'no valid bearer token (missing, expired, unknown or deactivated user)' },
  FORBIDDEN: { status: 403, meaning: 'the viewer is known but its role may not do this' },
  NOT_FOUND: { status: 404, meaning: 'the object does not exist or the viewer may not see it' },
  CONFLICT: {
    status: 409,
    meaning: 'the write collides with existing data, or a request with the same `Idempotency-Key` is still running',
  },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'this `Idempotency-Key` was used with a different request' },
  RATE_LIMITED: { status: 429, meaning: 'too many operations this minute; retry after `Retry-After` seconds' },
  EXPORT_BUSY: { status: 429, meaning: 'too many CSV exports are running; retry after `Retry-After` seconds' },
  GRAPHQL_PARSE_FAILED: { status: 400, meaning: 'the document is not valid GraphQL syntax' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, meaning: 'the document does not match the schema (or names no operation it holds)' },
  QUERY_TOO_LARGE: { status: 400, spec: true, meaning: 'the document has more tokens than `MAX_TOKENS`' },
  QUERY_TOO_DEEP: { status: 400, spec: true, meaning: 'the operation nests deeper than `MAX_DEPTH`' },
  TOO_MANY_ALIASES: { status: 400, spec: true, meaning: 'the operation has more aliases than `MAX_ALIASES`' },
  TOO_MANY_DIRECTIVES: { status: 400, spec: true, meaning: 'the operation has more directives than `MAX_DIRECTIVES`' },
  QUERY_TOO_COMPLEX: { status: 400, spec: true, meaning: "the operation's estimated cost exceeds `MAX_COST`" },
  INTROSPECTION_DISABLED: { status: 403, spec: true, meaning: 'introspection is for ANALYST and ADMIN in production' },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, meaning: 'the persisted document id is unknown: send it again with its text (APQ)' },
  PERSISTED_QUERY_ONLY: { status: 403, meaning: 'this viewer may run only persisted documents, not GraphQL text' },
  PERSISTED_QUERY_HASH_MISMATCH: { status: 400, meaning: 'the persisted document id is not the sha256 of the text sent with it' },
  CSRF_HEADER_REQUIRED: { status: 403, meaning: 'a request a browser could send cross-site needs a CSRF header or a JSON body' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'the body is not JSON (nor a GET query string)' },
  HOST_NOT_ALLOWED: { status: 403, meaning: 'the development server answers only requests addressed to localhost' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'the CSV export answers GET only' },
  BAD_REQUEST: {
    status: 400,
    raisedBy: 'yoga',
    meaning: 'the HTTP request carries no GraphQL request (no document or id, a batch while batching is off)',
  },
  REQUEST_ENTITY_TOO_LARGE: {
    status: 413,
    raisedBy: 'yoga',
    meaning: 'the body is larger than `MAX_BODY_BYTES`, or the batch longer than `BATCHING_LIMIT`',
  },
  REQUEST_TIMEOUT: {
    status: 503,
    meaning: 'the request took longer than `REQUEST_TIMEOUT_MS` and was stopped (a mutation still runs to its end)',
  },
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'the database is unavailable (restart, failover): retry after `Retry-After` seconds' },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'an unexpected failure; `extensions.requestId` finds it in the server log' },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERRORS;

/** An error a use case raises on purpose; the server shows its code and message as they are. */
export class AppError extends Error {
  override name = 'AppError';
  /** The input field at fault, as a dotted path ("input.hrMetrics.hires"). */
  readonly field?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { field?: string } = {},
  ) {
    super(message);
    if (options.field !== undefined) this.field = options.field;
  }
}

/** Turns a zod failure into one BAD_USER_INPUT naming the first offending field. */
export function invalidInput(issues: readonly { path: readonly PropertyKey[]; message: string }[]): AppError {
  const first = issues[0];
  const field = ['input', ...(first?.path ?? []).map(String)].join('.');
  return new AppError('BAD_USER_INPUT', `${field}: ${first?.message ?? 'invalid input'}`, { field });
}
