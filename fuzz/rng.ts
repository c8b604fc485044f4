/**
 * A small deterministic generator: a case is fully named by (campaign seed,
 * case index), so the parent can rebuild any failing input without having
 * kept it, and a resumed run draws exactly the cases a single run would.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  static forCase(seed: number, index: number): Rng {
    return new Rng(mix32(mix32(seed >>> 0) ^ Math.imul(index + 1, 0x85ebca6b)));
  }

  /** mulberry32: fast, well spread, and plenty for picking mutations. */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  u32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
