import { afterAll, beforeAll, expect } from 'vitest';
import { SharedBuffers } from '../src/shared-buffers.js';

/**
 * Every block the pool hands out must come back once its response is out,
 * whatever became of the request: counts the blocks of this test file (the
 * hooks are registered where it is called) and gives the check.
 */
export function trackSharedBlocks(): { expectNoBlockHeld: () => Promise<void> } {
  const outstanding = new Set<ArrayBufferLike>();
  let strayReleases = 0;
  const { acquire, release } = SharedBuffers.prototype;
  beforeAll(() => {
    SharedBuffers.prototype.acquire = function (this: SharedBuffers, length: number) {
      const b = acquire.call(this, length);
      outstanding.add(b.buffer);
      return b;
    };
    SharedBuffers.prototype.release = function (this: SharedBuffers, buf: Buffer) {
      if (!outstanding.delete(buf.buffer)) strayReleases++;
      release.call(this, buf);
    };
  });
  afterAll(() => {
    SharedBuffers.prototype.acquire = acquire;
    SharedBuffers.prototype.release = release;
  });
  return {
    /** Waits for the onResponse hooks (they run as the last byte leaves, so just after the client has the answer). */
    async expectNoBlockHeld() {
      for (let i = 0; i < 100 && outstanding.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(outstanding.size).toBe(0);
      expect(strayReleases).toBe(0);
    },
  };
}

export type FormEntry = [name: string, value: string] | [name: string, file: Uint8Array, filename: string];

/** A multipart form: text fields, and files sent as PDFs. */
export function form(...entries: FormEntry[]): FormData {
  const fd = new FormData();
  for (const e of entries) {
    if (e.length === 3) fd.append(e[0], new Blob([e[1]], { type: 'application/pdf' }), e[2]);
    else fd.append(e[0], e[1]);
  }
  return fd;
}
