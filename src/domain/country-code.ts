// ISO 3166-1 alpha-2 country codes as filters take them (two letters, either case) and as they are stored
// (upper case): the one check the GraphQL filters and the CSV export share.

const PATTERN = /^[A-Za-z]{2}$/;

/** The stored form of a code (upper case), or null when `value` is not two letters. */
export function parseCountryCode(value: string): string | null {
  return PATTERN.test(value) ? value.toUpperCase() : null;
}

/** What a client is told when the argument `name` ("country", "filter.country") holds no code. */
export function countryCodeProblem(name: string): string {
  return `${name} must be a two-letter ISO 3166-1 code`;
}
