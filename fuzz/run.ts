/**
 * pnpm fuzz: a seeded, resumable fuzz campaign over PdfReader, verifyPdf and
 * signPdf, each case in a guarded child process (see pool.ts).
 *
 *   pnpm fuzz --cases 100000 --seed 42 --workers 2 --out .tmp/fuzz
 *   pnpm fuzz --out .tmp/fuzz --resume        # carries on an interrupted run
 *
 * A failure is a crash (an exception that is not a KysoError, a broken
 * post-sign invariant, a dead child), a hang (the time guard, hit twice) or
 * an overrun of the memory guard. Each one leaves DIR/<seed>-<case>.pdf and
 * a line of DIR/failures.jsonl; `--only <case>` runs a single case again.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSeeds, makeCase } from './case.js';
import { Pool, type CaseResult } from './pool.js';
import { prepareSeeds } from './seeds.js';

interface Args {
  cases: number;
  seed: number;
  workers: number;
  out: string;
  resume: boolean;
  timeoutMs: number;
  maxRssMb: number;
  heapMb: number;
  signFraction: number;
  structuralOnly: boolean;
  only: number | undefined;
  maxSeedKb: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    cases: 1000,
    seed: Date.now() % 2 ** 31,
    workers: 1,
    out: '.tmp/fuzz',
    resume: false,
    timeoutMs: 5000,
    maxRssMb: 1024,
    heapMb: 768,
    signFraction: 0.25,
    structuralOnly: false,
    only: undefined,
    maxSeedKb: 200,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    switch (k) {
      case '--cases': a.cases = Number(v()); break;
      case '--seed': a.seed = Number(v()); break;
      case '--workers': a.workers = Number(v()); break;
      case '--out': a.out = v(); break;
      case '--resume': a.resume = true; break;
      case '--timeout-ms': a.timeoutMs = Number(v()); break;
      case '--max-rss-mb': a.maxRssMb = Number(v()); break;
      case '--heap-mb': a.heapMb = Number(v()); break;
      case '--sign-fraction': a.signFraction = Number(v()); break;
      case '--structural': a.structuralOnly = true; break;
      case '--only': a.only = Number(v()); break;
      case '--max-seed-kb': a.maxSeedKb = Number(v()); break;
      case '--': break;
      default: throw new Error(`unknown option ${k}`);
    }
  }
  for (const [k, x] of Object.entries(a)) if (typeof x === 'number' && !Number.isFinite(x)) throw new Error(`--${k} is not a number`);
  return a;
}

interface State {
  seed: number;
  cases: number;
  signFraction: number;
  structuralOnly: boolean;
  /** The seed set: which corpus files were taken (the case numbering depends on it). */
  maxSeedKb?: number;
  /** Every case below this index is done. */
  donePrefix: number;
  /** Done cases above the prefix (the ones in flight when the state was written are not). */
  doneExtra: number[];
  ok: number;
  crashes: number;
  hangs: number;
  ooms: number;
  signed: number;
  elapsedMs: number;
  outcomes: Record<string, number>;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const stateFile = join(out, 'state.json');
  let state: State;
  if (args.resume && existsSync(stateFile)) {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as State;
    args.seed = state.seed;
    args.signFraction = state.signFraction;
    args.structuralOnly = state.structuralOnly;
    args.maxSeedKb = state.maxSeedKb ?? args.maxSeedKb;
    if (process.argv.includes('--cases')) state.cases = args.cases;
    console.log(`[fuzz] resuming seed ${state.seed}: ${state.donePrefix + state.doneExtra.length} of ${state.cases} cases done`);
  } else {
    state = { seed: args.seed, cases: args.cases, signFraction: args.signFraction, structuralOnly: args.structuralOnly, maxSeedKb: args.maxSeedKb, donePrefix: 0, doneExtra: [], ok: 0, crashes: 0, hangs: 0, ooms: 0, signed: 0, elapsedMs: 0, outcomes: {} };
  }
  // A resumed run takes the seed set it started with (maxSeedKb comes from the state).
  const { seedDir, pkiFile } = await prepareSeeds(out, { maxCorpusBytes: args.maxSeedKb * 1000 });
  const seeds = loadSeeds(seedDir);
  const caseOptions = { signFraction: state.signFraction, structuralOnly: state.structuralOnly };
  const pool = new Pool({
    workers: args.workers,
    timeoutMs: args.timeoutMs,
    maxRssMb: args.maxRssMb,
    heapMb: args.heapMb,
    init: { seedDir, pkiFile, seed: state.seed, ...caseOptions },
  });
  console.log(`[fuzz] seed ${state.seed}, ${state.cases} cases, ${args.workers} worker(s), ${seeds.length} seed files, guard ${args.timeoutMs} ms / ${args.maxRssMb} MB, out ${out}`);

  const done = new Set<number>(state.doneExtra);
  const t0 = performance.now();
  const elapsedBefore = state.elapsedMs;
  const markDone = (i: number): void => {
    done.add(i);
    while (done.has(state.donePrefix)) done.delete(state.donePrefix++);
  };
  const save = (): void => {
    state.doneExtra = [...done].sort((x, y) => x - y);
    state.elapsedMs = elapsedBefore + (performance.now() - t0);
    // Written aside and renamed: a run killed mid-write leaves the previous state, not half of one.
    writeFileSync(stateFile + '.tmp', JSON.stringify(state));
    renameSync(stateFile + '.tmp', stateFile);
  };

  const record = (r: CaseResult): void => {
    if (r.kind === 'ok') {
      state.ok++;
      if (r.outcome.signed) state.signed++;
      const key = `open:${r.outcome.open} verify:${r.outcome.verify} sign:${r.outcome.sign}`;
      state.outcomes[key] = (state.outcomes[key] ?? 0) + 1;
      return;
    }
    if (r.kind === 'hang') state.hangs++;
    else if (r.kind === 'oom') state.ooms++;
    else state.crashes++;
    const spec = makeCase(seeds, state.seed, r.index, caseOptions);
    const file = join(out, `${state.seed}-${r.index}.pdf`);
    writeFileSync(file, spec.bytes);
    const line = {
      seed: state.seed,
      case: r.index,
      kind: r.kind,
      seedFile: spec.seedName,
      mutators: spec.mutators,
      sign: spec.sign,
      ms: Math.round(r.ms),
      ...(r.kind === 'crash' ? { stage: r.stage, error: r.error, stack: r.stack } : {}),
      ...(r.kind === 'died' ? { error: r.error } : {}),
      ...(r.kind === 'oom' ? { rssMb: r.rssMb } : {}),
      file,
    };
    appendFileSync(join(out, 'failures.jsonl'), JSON.stringify(line) + '\n');
    console.log(`[fuzz] ${r.kind.toUpperCase()} case ${r.index} (${spec.seedName}, ${spec.mutators.join(' ')}): ${'error' in r ? r.error.split('\n')[0] : `${Math.round(r.ms)} ms`}`);
  };

  const runOne = async (i: number): Promise<void> => {
    let r = await pool.run(i);
    // A loaded machine can make a slow case look hung: a hang must repeat on a fresh process.
    if (r.kind === 'hang') r = await pool.run(i);
    record(r);
    markDone(i);
  };

  const todo = args.only !== undefined ? [args.only] : undefined;
  let next = args.only !== undefined ? 0 : state.donePrefix;
  const take = (): number | undefined => {
    if (todo) return todo.shift();
    // Done cases are below the prefix or in the set: the set forgets those the prefix passes.
    while (next < state.cases && (next < state.donePrefix || done.has(next))) next++;
    return next < state.cases ? next++ : undefined;
  };

  let lastReport = performance.now();
  let lastSave = performance.now();
  let stopping = false;
  const onSignal = (): void => {
    stopping = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const lane = async (): Promise<void> => {
    for (let i = take(); i !== undefined && !stopping; i = take()) {
      await runOne(i);
      const now = performance.now();
      if (now - lastSave > 5000) {
        lastSave = now;
        save();
      }
      if (now - lastReport > 15_000) {
        lastReport = now;
        const n = state.donePrefix + done.size;
        const secs = (elapsedBefore + now - t0) / 1000;
        console.log(`[fuzz] ${n}/${state.cases} cases, ${(n / secs).toFixed(1)}/s overall, crashes ${state.crashes}, hangs ${state.hangs}, memory ${state.ooms}, ${secs.toFixed(0)} s`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.workers) }, () => lane()));
  pool.close();
  if (args.only !== undefined) return;
  save();
  const n = state.donePrefix + done.size;
  const secs = state.elapsedMs / 1000;
  const summary = {
    seed: state.seed,
    cases: n,
    planned: state.cases,
    crashes: state.crashes,
    hangs: state.hangs,
    memory: state.ooms,
    signed: state.signed,
    durationS: Math.round(secs),
    casesPerS: Number((n / secs).toFixed(1)),
    workers: args.workers,
    workerStarts: pool.starts,
    outcomes: Object.fromEntries(Object.entries(state.outcomes).sort((x, y) => y[1] - x[1]).slice(0, 15)),
  };
  writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
  console.log(`[fuzz] summary: ${JSON.stringify(summary, null, 2)}`);
  process.exitCode = state.crashes + state.hangs + state.ooms > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
