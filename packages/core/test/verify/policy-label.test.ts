import { describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdf, TrustStore, verifyPdf } from '../../src/index.js';
import { makePdfLibPdf, testPki } from '../helpers/fixtures.js';

describe('the policy a chain is trusted under', () => {
  it('a root added by hand to the bcy store is reported as custom, never as BCY', async () => {
    const pki = await testPki();
    const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    const pdf = await signPdf(await makePdfLibPdf(), { signer });
    const store = TrustStore.forPolicy('bcy').addAnchors(pki.root.certPem);
    const r = await verifyPdf(pdf, { trustStore: store });
    expect(r.policy).toBe('bcy');
    expect(r.signatures[0]!.chain.trusted).toBe(true);
    expect(r.signatures[0]!.chain.policy).toBe('custom');
  });
});
