// Which groups of reports the analytics must not show figures of: those with fewer reports than the
// minimum group size, and enough others that none of those can be worked out by subtraction from the
// figures shown beside them (decision record 0013).

/** ANALYTICS_MIN_GROUP_SIZE when unset. */
export const DEFAULT_MIN_GROUP_SIZE = 5;

/** A group shown with figures (`whole`) and the groups it splits into, each with its share of the whole's reports. */
export interface GroupPartition {
  whole: string;
  parts: { id: string; reports: number }[];
}

export interface SuppressionInput {
  minGroupSize: number;
  /** Reports per group id, for every group the answer shows. */
  reports: ReadonlyMap<string, number>;
  /** Every way the answer splits a group into others (a total by country, a country by city...). */
  partitions: GroupPartition[];
}

/**
 * The groups to suppress. First every group with 1..minGroupSize-1 reports; then, until nothing changes,
 * for every partition: the parts of a suppressed whole are suppressed (else the whole is their sum), and
 * the suppressed parts of a shown whole must hold 0 or at least minGroupSize reports together (else the
 * smallest shown part with reports is suppressed too: by reports, then id, so every answer picks the same).
 */
export function suppressedGroups({ minGroupSize, reports, partitions }: SuppressionInput): Set<string> {
  const suppressed = new Set([...reports].filter(([, n]) => n > 0 && n < minGroupSize).map(([id]) => id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const { whole, parts } of partitions) {
      const withReports = parts.filter((p) => p.reports > 0);
      if (suppressed.has(whole)) {
        for (const part of withReports.filter((p) => !suppressed.has(p.id))) {
          suppressed.add(part.id);
          changed = true;
        }
        continue;
      }
      let hidden = withReports.filter((p) => suppressed.has(p.id)).reduce((sum, p) => sum + p.reports, 0);
      const shown = withReports.filter((p) => !suppressed.has(p.id)).sort((a, b) => a.reports - b.reports || (a.id < b.id ? -1 : 1));
      while (hidden > 0 && hidden < minGroupSize && shown.length) {
        const next = shown.shift()!;
        suppressed.add(next.id);
        hidden += next.reports;
        changed = true;
      }
    }
  }
  return suppressed;
}
