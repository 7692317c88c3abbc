// Unit tests for ISO week arithmetic, checked against known calendar facts.
import { describe, expect, it } from 'vitest';
import { addWeeks, isIsoWeek, isoWeekOf, isoWeekStart, previousWeek, weeksInYear } from './iso-week.js';

describe('iso-week', () => {
  it('knows which years have 53 weeks', () => {
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(weeksInYear(2015)).toBe(53);
  });

  it('validates the format and the week range of the year', () => {
    expect(isIsoWeek('2026-W47')).toBe(true);
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
    expect(isIsoWeek('2026-W00')).toBe(false);
    expect(isIsoWeek('2026-W7')).toBe(false);
    expect(isIsoWeek('2026W07')).toBe(false);
  });

  it('maps dates to weeks across year boundaries', () => {
    expect(isoWeekOf(new Date('2026-11-28T12:00:00Z'))).toBe('2026-W48');
    expect(isoWeekOf(new Date('2021-01-03T00:00:00Z'))).toBe('2020-W53');
    expect(isoWeekOf(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeekStart('2025-W01').toISOString()).toBe('2024-12-30T00:00:00.000Z');
  });

  it('steps weeks back and forth', () => {
    expect(previousWeek('2021-W01')).toBe('2020-W53');
    expect(previousWeek('2026-W48')).toBe('2026-W47');
    expect(addWeeks('2026-W52', 2)).toBe('2027-W01');
  });
});
