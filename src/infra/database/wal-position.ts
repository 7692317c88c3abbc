// PostgreSQL WAL positions (LSNs, "16/B374D848"): parsed to numbers to compare, and written as fixed-width
// hex so that text comparison (Redis, logs) orders them the same way.

/** "16/B374D848" -> 0x16B374D848n; null for null (a server that is not replaying, for instance). */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** 16 hex digits: text order is numeric order. */
export function lsnKey(lsn: bigint): string {
  return lsn.toString(16).toUpperCase().padStart(16, '0');
}

/** The inverse of `lsnKey`; null for anything else (a missing or foreign value). */
export function lsnFromKey(key: string | null | undefined): bigint | null {
  return key && /^[0-9A-F]{16}$/.test(key) ? BigInt(`0x${key}`) : null;
}
