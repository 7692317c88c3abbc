// README's table of error codes is the list in src/domain/errors.ts (every code the API answers with), and
// the statuses there are the ones clients get.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ERRORS } from '../../src/domain/errors.js';
import { apiError, fromAppError } from '../../src/schema/errors.js';

const START = '<!-- error-codes:start (test/api/error-codes.test.ts checks this table against src/domain/errors.ts) -->';
const END = '<!-- error-codes:end -->';

function table(): string {
  const rows = Object.entries(ERRORS).map(([code, kind]) => {
    const status = 'spec' in kind ? `${kind.status} (200 under \`application/json\`)` : String(kind.status);
    const meaning = 'raisedBy' in kind ? `${kind.meaning} (raised by Yoga)` : kind.meaning;
    return `| \`${code}\` | ${status} | ${meaning} |`;
  });
  return ['| code | HTTP status of a refused request | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('error codes', () => {
  it("README's table lists every code with its status and meaning", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `README.md needs the markers ${START} and ${END}`).toBeGreaterThanOrEqual(0);
    const documented = readme.slice(start + START.length, end).trim();
    expect(documented, `paste this table into README.md between the markers:\n${table()}`).toBe(table());
  });

  it('a request-level error carries its code and the status of the list', () => {
    const rateLimited = apiError('RATE_LIMITED', 'slow down', { request: { headers: { 'Retry-After': '3' } } });
    expect(rateLimited.extensions).toEqual({ code: 'RATE_LIMITED', http: { status: 429, headers: { 'Retry-After': '3' } } });
    expect(apiError('QUERY_TOO_DEEP', 'deep', { request: true }).extensions).toEqual({
      code: 'QUERY_TOO_DEEP',
      http: { status: 400, spec: true },
    });
    // In a field, an error only carries its code: the operation still answers 200 with its other fields.
    expect(apiError('NOT_FOUND', 'gone').extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it("a use case's AppError keeps its code, message and field", () => {
    const rendered = fromAppError(new AppError('CONFLICT', 'input.date: taken', { field: 'input.date' }), { path: ['createWorkSchedule'] });
    expect(rendered.message).toBe('input.date: taken');
    expect(rendered.path).toEqual(['createWorkSchedule']);
    expect(rendered.extensions).toEqual({ code: 'CONFLICT', field: 'input.date' });
  });
});
