// Custom scalars: IsoWeek ('YYYY-Www', a week that exists in that year), DateTime (ISO 8601) and Date (years 1-9999).
import { Kind, type ValueNode } from 'graphql';
import { isIsoWeek } from '../domain/iso-week.js';
import { builder } from './builder.js';
import { UserInputError } from './errors.js';

/** Years a timestamp or date column takes from us: PostgreSQL has no year 0, and no one reports in year 10000. */
function inStorableYears(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw new UserInputError(`${scalar} must be a string`);
  return ast.value;
}

function parseIsoWeekInput(value: unknown): string {
  if (typeof value !== 'string' || !isIsoWeek(value)) {
    throw new UserInputError(`IsoWeek must be 'YYYY-Www' with a week that exists in that year (e.g. '2026-W47')`);
  }
  return value;
}

export const IsoWeekScalar = builder.scalarType('IsoWeek', {
  description: "An ISO 8601 week, 'YYYY-Www' (e.g. '2026-W47'); week 53 only in years that have it.",
  serialize: (value) => value,
  parseValue: parseIsoWeekInput,
  parseLiteral: (ast) => parseIsoWeekInput(stringLiteral(ast, 'IsoWeek')),
});

function parseDateTimeInput(value: unknown): Date {
  // Require an explicit offset so that no input depends on the server's time zone.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new UserInputError("DateTime must be an ISO 8601 timestamp with an offset (e.g. '2026-11-23T09:00:00Z')");
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UserInputError('DateTime is not a valid point in time');
  if (!inStorableYears(date)) throw new UserInputError('DateTime must be in the years 0001 to 9999 (in UTC)');
  return date;
}

export const DateTimeScalar = builder.scalarType('DateTime', {
  description: 'A point in time, ISO 8601 with offset; always serialised in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTimeInput,
  parseLiteral: (ast) => parseDateTimeInput(stringLiteral(ast, 'DateTime')),
});

function parseDateInput(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new UserInputError("Date must be 'YYYY-MM-DD'");
  }
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UserInputError('Date is not a valid calendar date');
  }
  if (!inStorableYears(date)) throw new UserInputError('Date must be in the years 0001 to 9999');
  return date;
}

export const DateScalar = builder.scalarType('Date', {
  description: "A calendar date, 'YYYY-MM-DD'.",
  serialize: (value) => value.toISOString().slice(0, 10),
  parseValue: parseDateInput,
  parseLiteral: (ast) => parseDateInput(stringLiteral(ast, 'Date')),
});
