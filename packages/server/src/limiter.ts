import { errors } from './errors.js';

/**
 * At most `max` jobs at once, at most `queue` more waiting; beyond that the
 * request is refused at once with 429 and Retry-After.
 */
export class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    readonly queue: number,
  ) {}

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** A job submitted now would be refused: lets a request be turned away before its body is read. */
  get full(): boolean {
    return this.#active >= this.max && this.#waiting.length >= this.queue;
  }

  /** Seconds a refused client should wait before retrying. */
  get retryAfter(): number {
    return 1 + Math.ceil(this.#waiting.length / Math.max(1, this.max));
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) {
      if (this.#waiting.length >= this.queue) throw errors.busy(this.retryAfter);
      await new Promise<void>((res) => this.#waiting.push(res));
    } else this.#active++;
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
