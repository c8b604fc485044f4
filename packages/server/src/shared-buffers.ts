/**
 * Reusable shared memory for request bodies. A fresh SharedArrayBuffer
 * costs a page fault per 4 KiB on first write (a fresh 1 MiB one took six
 * times longer to fill than a reused one here), and V8 frees unreferenced
 * ones late because they do not count as memory pressure: under a 3×
 * overload, bodies piled up to gigabytes. So bodies live in power-of-two
 * blocks that go back to a free list when their response has been sent,
 * with the free list capped.
 */
export class SharedBuffers {
  readonly #free = new Map<number, SharedArrayBuffer[]>();
  #freeBytes = 0;

  constructor(readonly maxFreeBytes: number) {}

  /** A Buffer of exactly `length` bytes over a block of at least that size. */
  acquire(length: number): Buffer {
    const size = blockSize(length);
    const block = this.#free.get(size)?.pop();
    if (block) this.#freeBytes -= size;
    return Buffer.from(block ?? new SharedArrayBuffer(size), 0, length);
  }

  /** Gives the block back; the caller must not use `buf` (nor anything that shares its memory) again. */
  release(buf: Buffer): void {
    const block = buf.buffer;
    if (!(block instanceof SharedArrayBuffer) || blockSize(block.byteLength) !== block.byteLength) return;
    if (this.#freeBytes + block.byteLength > this.maxFreeBytes) return; // left to the garbage collector
    let list = this.#free.get(block.byteLength);
    if (!list) this.#free.set(block.byteLength, (list = []));
    list.push(block);
    this.#freeBytes += block.byteLength;
  }

  get freeBytes(): number {
    return this.#freeBytes;
  }
}

const MIN_BLOCK = 64 * 1024;

function blockSize(n: number): number {
  let s = MIN_BLOCK;
  while (s < n) s *= 2;
  return s;
}
