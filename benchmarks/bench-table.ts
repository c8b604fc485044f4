/** The one table `pnpm bench` (all.ts) prints: a row per measured figure against its own limit or ceiling from the same run. */

export interface Row {
  /** Which benchmark measured it: sign, verify, server, pkcs11, startup. */
  bench: string;
  /** What is compared, e.g. "text-1MB kyso/limit". */
  figure: string;
  /** The measured figure, with its unit. */
  measured: string;
  /** The limit, ceiling or floor it is compared with, measured in the same run. */
  against: string;
  /** measured ÷ against, where that is the figure the target is about; null otherwise. */
  ratio: number | null;
  /** The target, e.g. "≥ 0.85"; empty when none. */
  target: string;
  /** Whether it meets the target; null when there is none or it could not be computed. */
  pass: boolean | null;
}

const HEADER = ['bench', 'figure', 'measured', 'against (same run)', 'ratio', 'target', 'meets'];

function ratioText(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '';
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

/** Plain-text table, columns padded; ratio right-aligned. */
export function formatTable(rows: Row[]): string {
  if (rows.length === 0) return '(no figures)';
  const cells = [HEADER, ...rows.map((r) => [r.bench, r.figure, r.measured, r.against, ratioText(r.ratio), r.target, r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL'])];
  const widths = HEADER.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i === 4 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const met = rows.filter((r) => r.pass === true).length;
  const withTarget = rows.filter((r) => r.pass !== null).length;
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line), '', `${met} of ${withTarget} targets met`].join('\n');
}
