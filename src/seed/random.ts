// Seeded randomness: one stream per concern, so changing how reports are drawn leaves users unchanged.

/** Stream ids in one place, so no two concerns ever draw from the same stream. */
export const STREAM = { people: 1, timeline: 2, reports: 3, schedules: 4, meetings: 5 } as const;

/** mulberry32: small, fast and good enough for test data; faker only draws the names and texts. */
export class Random {
  private state: number;
  constructor(seed: number, stream: number) {
    this.state = mix32((seed >>> 0) ^ mix32(stream + 0x9e3779b9));
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }
  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.next() < p) k++;
    return k;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A stateless draw in [0, 1) for (a, b): lets the report total be counted before the reports are drawn. */
export function hashUnit(seed: number, a: number, b: number): number {
  return mix32(mix32(mix32((seed >>> 0) ^ 0x5bd1e995) ^ a) + Math.imul(b, 0x27d4eb2f)) / 4_294_967_296;
}
