/**
 * signPdfDetailed({ documentHashes }) returns the SHA-256 of the input and
 * of the signed file, whatever the signature's own digest (the SHA-256 path
 * reuses the byte-range hashing; the others hash separately).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdfDetailed } from '../../src/index.js';
import { makePdfLibPdf, testPki } from '../helpers/fixtures.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('documentHashes', () => {
  for (const digest of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
    it(`gives the SHA-256 of input and output with a ${digest} signature`, async () => {
      const pki = await testPki();
      const signer = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
      const input = await makePdfLibPdf(3);
      const once = await signPdfDetailed(input, { signer, digest, documentHashes: true, resultCode: '052090000495.KQ.G15.000021.02022024' });
      expect(once.inputSha256).toBe(sha256(input));
      expect(once.outputSha256).toBe(sha256(once.pdf));
      // A second signature over the first: its input is the first output.
      const twice = await signPdfDetailed(once.pdf, { signer, digest, documentHashes: true });
      expect(twice.inputSha256).toBe(once.outputSha256);
      expect(twice.outputSha256).toBe(sha256(twice.pdf));
    });
  }

  it('is left out unless asked for', async () => {
    const pki = await testPki();
    const signer = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
    const r = await signPdfDetailed(await makePdfLibPdf(), { signer });
    expect(r.inputSha256).toBeUndefined();
    expect(r.outputSha256).toBeUndefined();
  });
});
