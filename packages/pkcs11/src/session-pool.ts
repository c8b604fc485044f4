/**
 * Up to `size` PKCS#11 sessions, each used by one signature at a time
 * (a session holds one active operation). Callers beyond that wait in FIFO
 * order. `invalidate()` retires every session at once (the token was
 * removed, or all sessions were closed under us): idle ones are closed now,
 * leased ones when they come back, and the next acquire opens fresh ones.
 */
import { KysoError } from '@kyso/core';
import type { Handle } from './pkcs11js.js';

export interface SessionHooks {
  /** Opens a logged-in session (re-establishing login and key handles when needed). */
  open(): Promise<Handle>;
  /** Closes a session; must not throw. */
  close(session: Handle): void;
}

export function signerClosed(): KysoError {
  return new KysoError('SIGN_SIGNER_FAILED', 'The PKCS#11 signer is closed', { vi: 'Bộ ký PKCS#11 đã đóng' });
}

export class SessionPool {
  readonly size: number;
  readonly #hooks: SessionHooks;
  #idle: Handle[] = [];
  /** Leased sessions and the generation they belong to. */
  readonly #leased = new Map<Handle, number>();
  #opening = 0;
  #generation = 0;
  #waiters: (() => void)[] = [];
  /** Waiters woken but not yet running again. */
  #woken = 0;
  #closed = false;
  #drained: (() => void) | undefined;

  constructor(size: number, hooks: SessionHooks) {
    this.size = size;
    this.#hooks = hooks;
  }

  get generation(): number {
    return this.#generation;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Hands an already open session to the pool (the one used while opening the signer). */
  adopt(session: Handle): void {
    this.#idle.push(session);
    this.#wake();
  }

  /** Callers already waiting when close() is called are still served; new ones are refused. */
  async acquire(): Promise<Handle> {
    if (this.#closed) throw signerClosed();
    for (;;) {
      const idle = this.#idle.pop();
      if (idle) {
        this.#leased.set(idle, this.#generation);
        return idle;
      }
      if (this.#leased.size + this.#opening < this.size) {
        this.#opening++;
        try {
          const session = await this.#hooks.open();
          this.#leased.set(session, this.#generation);
          return session;
        } finally {
          this.#opening--;
          // A failed open frees a place: let a waiter try (it will see the same error rather than hang).
          this.#afterReturn();
        }
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      this.#woken--;
    }
  }

  /** Returns a healthy session. */
  release(session: Handle): void {
    const gen = this.#leased.get(session);
    if (gen === undefined) return;
    this.#leased.delete(session);
    if (gen !== this.#generation || (this.#closed && this.#waiters.length === 0 && this.#woken === 0)) this.#hooks.close(session);
    else this.#idle.push(session);
    this.#afterReturn();
  }

  /** Closes a session that may be in a bad state (a failed operation); a fresh one replaces it on demand. */
  discard(session: Handle): void {
    if (!this.#leased.delete(session)) return;
    this.#hooks.close(session);
    this.#afterReturn();
  }

  /** Retires every session (see the class comment). */
  invalidate(failedGeneration: number): void {
    if (failedGeneration !== this.#generation) return; // someone already did
    this.#generation++;
    const idle = this.#idle;
    this.#idle = [];
    for (const s of idle) this.#hooks.close(s);
  }

  /** Refuses new callers, serves those already waiting, waits for every session to come back, closes them all. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#busy()) await new Promise<void>((resolve) => (this.#drained = resolve));
    const idle = this.#idle;
    this.#idle = [];
    for (const s of idle) this.#hooks.close(s);
  }

  #busy(): boolean {
    return this.#leased.size > 0 || this.#opening > 0 || this.#waiters.length > 0 || this.#woken > 0;
  }

  #afterReturn(): void {
    this.#wake();
    if (this.#closed && !this.#busy() && this.#drained) {
      const d = this.#drained;
      this.#drained = undefined;
      d();
    }
  }

  #wake(): void {
    const w = this.#waiters.shift();
    if (w) {
      this.#woken++;
      w();
    }
  }
}
