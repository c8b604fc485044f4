/**
 * Child processes that run fuzz cases one at a time each, with a guard per
 * case: a case that runs past the time limit, or whose process grows past
 * the memory limit, is stopped by killing its process (a synchronous loop
 * or allocation cannot be interrupted from inside), and a fresh process
 * takes the next case.
 *
 * The time limit is on the CPU time the case uses, read from /proc: on a
 * machine shared with other work (and a niced campaign) a case that needs
 * one second of CPU can take ten of wall clock, and that is not a hang. A
 * wall-clock limit of twelve times as much still catches a case that waits.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CaseOutcome } from './case.js';
import type { WorkerInit, WorkerReply } from './worker.js';

export interface PoolOptions {
  workers: number;
  /** Per-case limit of CPU time (wall-clock: twelve times as much). */
  timeoutMs: number;
  /** Per-process resident-set limit, polled while a case runs. */
  maxRssMb: number;
  /** V8 old-space limit of each child (a heap overrun kills it: reported as a death). */
  heapMb: number;
  init: Omit<WorkerInit, 'type'>;
}

export type CaseResult =
  | { kind: 'ok'; index: number; ms: number; seedName: string; mutators: string[]; outcome: CaseOutcome }
  | { kind: 'crash'; index: number; ms: number; seedName: string; mutators: string[]; stage: string; error: string; stack: string }
  | { kind: 'hang'; index: number; ms: number }
  | { kind: 'oom'; index: number; ms: number; rssMb: number }
  | { kind: 'died'; index: number; ms: number; error: string };

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** User + system CPU time of a process in ms (clock ticks of 10 ms), from /proc. */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Job {
  index: number;
  resolve: (r: CaseResult) => void;
}

class Slot {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private stderr = '';
  job: Job | undefined;
  private started = 0;
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  starts = 0;

  constructor(private readonly options: PoolOptions) {}

  private spawn(): Promise<void> {
    this.starts++;
    this.stderr = '';
    const child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${this.options.heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-4000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') resolve();
        else this.finish(m.type === 'done'
          ? { kind: 'ok', index: m.index, ms: m.ms, seedName: m.seedName, mutators: m.mutators, outcome: m.outcome }
          : { kind: 'crash', index: m.index, ms: m.ms, seedName: m.seedName, mutators: m.mutators, stage: m.stage, error: `${m.name}: ${m.message}`, stack: m.stack });
      });
      child.on('exit', (code, signal) => {
        if (this.child !== child) return;
        this.child = undefined;
        this.ready = undefined;
        reject(new Error(`fuzz worker exited before it was ready (${code ?? signal}): ${this.stderr}`));
        if (this.job) this.finish({ kind: 'died', index: this.job.index, ms: performance.now() - this.started, error: `worker exited (code ${code}, signal ${signal}): ${this.stderr.slice(-1500)}` });
      });
    });
    child.send({ type: 'init', ...this.options.init } satisfies WorkerInit);
    return this.ready;
  }

  async run(job: Job): Promise<void> {
    this.job = job;
    if (!this.child) await this.spawn();
    else await this.ready;
    if (this.job !== job) return;
    this.started = performance.now();
    const child = this.child!;
    const cpu0 = child.pid ? cpuMs(child.pid) : undefined;
    this.timer = setTimeout(() => {
      this.finish({ kind: 'hang', index: job.index, ms: performance.now() - this.started });
      this.kill();
    }, this.options.timeoutMs * 12);
    this.poll = setInterval(() => {
      const rss = child.pid ? rssMb(child.pid) : undefined;
      if (rss !== undefined && rss > this.options.maxRssMb) {
        this.finish({ kind: 'oom', index: job.index, ms: performance.now() - this.started, rssMb: Math.round(rss) });
        this.kill();
        return;
      }
      const cpu = child.pid ? cpuMs(child.pid) : undefined;
      if (cpu !== undefined && cpu0 !== undefined && cpu - cpu0 > this.options.timeoutMs) {
        this.finish({ kind: 'hang', index: job.index, ms: cpu - cpu0 });
        this.kill();
      }
    }, 50);
    child.send({ type: 'case', index: job.index });
  }

  private finish(r: CaseResult): void {
    const job = this.job;
    if (!job || job.index !== r.index) return;
    this.job = undefined;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    job.resolve(r);
  }

  kill(): void {
    const c = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (c) {
      c.removeAllListeners('exit');
      c.kill('SIGKILL');
    }
  }
}

export class Pool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];

  constructor(options: PoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.workers) }, () => new Slot(options));
  }

  get starts(): number {
    return this.slots.reduce((n, s) => n + s.starts, 0);
  }

  run(index: number): Promise<CaseResult> {
    return new Promise((resolve) => {
      this.queue.push({ index, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      const done = job.resolve;
      job.resolve = (r) => {
        done(r);
        queueMicrotask(() => this.dispatch());
      };
      slot.run(job).catch((e: unknown) => job.resolve({ kind: 'died', index: job.index, ms: 0, error: String(e) }));
    }
  }

  close(): void {
    for (const s of this.slots) s.kill();
  }
}
