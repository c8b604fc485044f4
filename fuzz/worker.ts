/**
 * A fuzz child process. It rebuilds each case from (campaign seed, case
 * index) itself, so the parent sends two numbers per case instead of a file,
 * and runs it; a hang or a runaway allocation is the parent's to stop, by
 * killing this process.
 */
import { readFileSync } from 'node:fs';
import { Crash, loadSeeds, makeCase, makeTools, runCase, type CaseTools, type PkiPem, type Seed } from './case.js';

export interface WorkerInit {
  type: 'init';
  seedDir: string;
  pkiFile: string;
  seed: number;
  signFraction: number;
  structuralOnly: boolean;
}

export interface WorkerCase {
  type: 'case';
  index: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; index: number; ms: number; seedName: string; mutators: string[]; outcome: import('./case.js').CaseOutcome }
  | { type: 'crash'; index: number; ms: number; seedName: string; mutators: string[]; stage: string; name: string; message: string; stack: string };

let seeds: Seed[] = [];
let tools: CaseTools;
let init: WorkerInit;

const send = (m: WorkerReply): void => {
  process.send!(m);
};

async function onCase(index: number): Promise<void> {
  const t0 = performance.now();
  let spec;
  try {
    spec = makeCase(seeds, init.seed, index, init);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'crash', index, ms: performance.now() - t0, seedName: '?', mutators: [], stage: 'mutate (harness bug)', name: err.name, message: err.message, stack: err.stack ?? '' });
    return;
  }
  try {
    const outcome = await runCase(spec.bytes, tools, spec.sign);
    send({ type: 'done', index, ms: performance.now() - t0, seedName: spec.seedName, mutators: spec.mutators, outcome });
  } catch (e) {
    const c = e instanceof Crash ? e : new Crash('unknown', e);
    const err = c.error instanceof Error ? c.error : new Error(String(c.error));
    send({ type: 'crash', index, ms: performance.now() - t0, seedName: spec.seedName, mutators: spec.mutators, stage: c.stage, name: err.name, message: err.message.slice(0, 2000), stack: (err.stack ?? '').slice(0, 4000) });
  }
}

process.on('message', (m: WorkerInit | WorkerCase) => {
  if (m.type === 'init') {
    init = m;
    seeds = loadSeeds(m.seedDir);
    tools = makeTools(JSON.parse(readFileSync(m.pkiFile, 'utf8')) as PkiPem);
    send({ type: 'ready' });
  } else void onCase(m.index);
});
