import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const workerPath = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));

export function tempDir(prefix = 'kyso-codes-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface WorkerResult {
  lines: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningWorker {
  child: ChildProcess;
  lines: string[];
  done: Promise<WorkerResult>;
}

/** Starts fixtures/worker.ts in its own Node process (tsx), collecting stdout lines as they arrive. */
export function startWorker(config: Record<string, unknown>, env: Record<string, string> = {}): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(config)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // A line cut by SIGKILL has no newline: the value was not fully printed, so it does not count.
      resolve({ lines, stderr, code, signal });
    });
  });
  return { child, lines, done };
}

export async function runWorker(config: Record<string, unknown>, env: Record<string, string> = {}): Promise<WorkerResult> {
  const r = await startWorker(config, env).done;
  if (r.code !== 0) throw new Error(`worker failed (${r.code ?? r.signal}): ${r.stderr}`);
  return r;
}

/** Values printed as `V <value> <state>`. */
export const printedValues = (lines: string[]): number[] => lines.filter((l) => l.startsWith('V ')).map((l) => Number(l.split(' ')[1]));

/** Resolves when `predicate` holds, polling. */
export async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Batch sizes the concurrency workers cycle through: single allocations and batches, interleaved. */
export const BATCH_CYCLE = [1, 3, 7, 16, 25];
