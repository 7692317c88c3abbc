// The JSON error body of routes that answer outside GraphQL execution (the CSV export, a refused host, a
// request past its deadline): the same `{ errors: [{ message, extensions: { code } }] }` a GraphQL error
// has, with the code's HTTP status from src/domain/errors.ts.
import { ERRORS, type ErrorCode } from '../domain/errors.js';

export function errorResponse(
  code: ErrorCode,
  message: string,
  options: { headers?: Record<string, string>; fetchAPI?: { Response: typeof Response } } = {},
): Response {
  const ResponseClass = options.fetchAPI?.Response ?? Response;
  return new ResponseClass(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status: ERRORS[code].status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
  });
}
