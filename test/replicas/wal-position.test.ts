// WAL positions as PostgreSQL prints them, as numbers, and as the fixed-width text Redis compares.
import { describe, expect, it } from 'vitest';
import { lsnFromKey, lsnKey, parseLsn } from '../../src/infra/database/wal-position.js';

describe('WAL positions', () => {
  it('parse as PostgreSQL prints them', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn(null)).toBeNull();
    expect(parseLsn('FFFFFFFF/FFFFFFFF')).toBe(2n ** 64n - 1n);
    expect(() => parseLsn('16-B374D848')).toThrow(/not a WAL position/);
  });

  it('keep their order as fixed-width text (what the Redis compare-and-set compares)', () => {
    const positions = ['0/16B3748', '0/FFFFFFFF', '1/0', '16/B374D848', 'A/1'].map((p) => parseLsn(p)!);
    const byText = [...positions].map(lsnKey).sort();
    expect(byText.map((key) => lsnFromKey(key))).toEqual([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(lsnKey(parseLsn('1/0')!)).toBe('0000000100000000');
    expect(lsnFromKey('garbage')).toBeNull();
    expect(lsnFromKey(null)).toBeNull();
  });
});
