import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../../src/index.js';
import { CORPUS_BCY, CORPUS_VERIFY } from '../helpers/fixtures.js';

interface Expect {
  integrity: ('ok' | 'broken')[];
  coversWholeDocument: boolean[];
  format?: 'ok' | 'malformed';
  modification?: 'none' | 'allowed' | 'suspicious';
  kinds?: ('signature' | 'timestamp')[];
  padesLevel?: (string | null)[];
  anchor?: string[];
  signerCommonName?: string[];
  trustedUnderPolicy?: { bcy: boolean; vn: boolean };
}
interface Entry {
  file: string;
  signatures: number;
  expect: Expect;
}

const manifest = (dir: string): Entry[] => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

describe('third-party corpus: what a correct verifier reports', () => {
  it.each(manifest(CORPUS_VERIFY).map((e) => [e.file, e] as const))('%s', async (_f, e) => {
    const r = await verifyPdf(readFileSync(join(CORPUS_VERIFY, e.file)));
    const x = e.expect;
    expect(r.signatures).toHaveLength(e.signatures);
    expect(r.signatures.map((s) => s.integrity)).toEqual(x.integrity);
    expect(r.signatures.map((s) => s.coversWholeDocument)).toEqual(x.coversWholeDocument);
    if (x.format) expect(r.signatures.some((s) => s.format === 'malformed') ? 'malformed' : 'ok').toBe(x.format);
    if (x.modification) expect(r.modification, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe(x.modification);
    if (x.kinds) expect(r.signatures.map((s) => s.kind)).toEqual(x.kinds);
    if (x.padesLevel) expect(r.signatures.map((s) => s.padesLevel)).toEqual(x.padesLevel);
    // A broken, malformed or suspicious file is never called valid.
    if (x.integrity.includes('broken') || x.format === 'malformed' || x.modification === 'suspicious') expect(r.verdict).toBe('invalid');
    // Each suspicious change names its object (or unsigned bytes) and a reason in both languages.
    for (const m of r.modifications.filter((m) => m.verdict === 'suspicious')) {
      expect(m.object !== null || m.change === 'bytes' || m.path !== null).toBe(true);
      expect(m.reason.length).toBeGreaterThan(10);
      expect(m.reasonVi.length).toBeGreaterThan(10);
    }
  });
});

describe('real BCY-signed government documents, offline, default policy', () => {
  it.each(manifest(CORPUS_BCY).map((e) => [e.file, e] as const))('%s', async (_f, e) => {
    const bytes = readFileSync(join(CORPUS_BCY, e.file));
    const r = await verifyPdf(bytes);
    const x = e.expect;
    expect(r.policy).toBe('bcy');
    expect(r.signatures).toHaveLength(e.signatures);
    expect(r.signatures.map((s) => s.integrity)).toEqual(x.integrity);
    expect(r.signatures.map((s) => s.coversWholeDocument)).toEqual(x.coversWholeDocument);
    expect(r.signatures.every((s) => s.format === 'ok')).toBe(x.format === 'ok');
    expect(r.signatures.map((s) => s.chain.anchor)).toEqual(x.anchor);
    expect(r.signatures.map((s) => s.signer?.commonName)).toEqual(x.signerCommonName);
    expect(r.signatures.every((s) => s.chain.trusted)).toBe(x.trustedUnderPolicy!.bcy);
    const vn = await verifyPdf(bytes, { policy: 'vn' });
    expect(vn.signatures.every((s) => s.chain.trusted)).toBe(x.trustedUnderPolicy!.vn);
    // Offline: revocation is reported as not checked, not guessed.
    for (const s of r.signatures) {
      expect(s.revocation.status).toBe('unknown');
      expect(s.revocation.source).toBeNull();
    }
  });

  it('the government portal signs as an organisation, read the Vietnamese way', async () => {
    const r = await verifyPdf(readFileSync(join(CORPUS_BCY, 'sd-1039-ttg.pdf')));
    const s = r.signatures[0]!.signer!;
    expect(s.kind).toBe('organisation');
    expect(s.organization).toBe('VĂN PHÒNG CHÍNH PHỦ');
    expect(s.uids).toMatchObject({ MST: '0102357802', MNS: '1032158' });
    expect(s.locality).toBe('Hà Nội');
  });

  it('a national public root does not satisfy the bcy policy', async () => {
    // The BCY files chain to BCY roots only; under a policy holding only the
    // national roots nothing is trusted.
    const { TrustStore } = await import('../../src/index.js');
    const nationalOnly = new TrustStore('national-only');
    for (const c of (await import('../../src/trust/index.js')).bundledCertificates().filter((b) => b.generation === 'national')) nationalOnly.addAnchors(c.pem);
    const r = await verifyPdf(readFileSync(join(CORPUS_BCY, 'vnlaw-47-cp.pdf')), { trustStore: nationalOnly });
    expect(r.signatures[0]!.chain.trusted).toBe(false);
    expect(r.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
});
