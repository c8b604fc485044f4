import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, SoftwareSigner, signPdf, TrustStore, verifyPdf, type Signer } from '../../src/index.js';
import { IncrementalWriter, PdfDict, PdfReader, PdfRef, PdfString } from '../../src/pdf/index.js';
import { pdfsig } from '../helpers/external-tools.js';
import { CORPUS_VERIFY, makePdfLibPdf, nssDbForTestPki, tempDir, testPki } from '../helpers/fixtures.js';

const CODE = '052090000495.KQ.G15.000021.02022024';
let officer: Signer;
let agency: Signer;
let trust: TrustStore;
let nss: string;
const dir = tempDir('kyso-rc-');

beforeAll(async () => {
  const pki = await testPki();
  officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  trust = TrustStore.fromPem(pki.root.certPem);
  nss = await nssDbForTestPki();
});

function pdfinfo(file: string, flag: string): string {
  return spawnSync('pdfinfo', [flag, file], { encoding: 'utf8' }).stdout;
}

describe('result code in the signature update', () => {
  it('is written to /Info and XMP, read back by poppler, and covered by the signature', async () => {
    const signed = await signPdf(await makePdfLibPdf(), { signer: officer, resultCode: CODE });
    const file = join(dir, 'code.pdf');
    writeFileSync(file, signed);
    expect(pdfinfo(file, '-custom')).toMatch(new RegExp(`MaKetQua:\\s+${CODE.replace(/\./g, '\\.')}`));
    expect(pdfinfo(file, '-meta')).toContain(`<kyso:MaKetQua>${CODE}</kyso:MaKetQua>`);
    const [sig] = pdfsig(file, nss);
    expect(sig?.signatureValid).toBe(true);
    expect(sig?.totalDocumentSigned).toBe(true);
    // One revision added: code and signature share the update.
    expect(PdfReader.open(signed).revisions).toHaveLength(2);

    const report = await verifyPdf(signed, { trustStore: trust });
    expect(report.verdict).toBe('valid');
    expect(report.resultCode).toEqual({ value: CODE, source: 'xmp', wellFormed: true, signedBy: [1] });

    // The agency signs after the officer: the code stays covered by both.
    const sealed = await signPdf(signed, { signer: agency });
    const r2 = await verifyPdf(sealed, { trustStore: trust });
    expect(r2.verdict).toBe('valid');
    expect(r2.modification).toBe('allowed');
    expect(r2.resultCode?.signedBy).toEqual([1, 2]);
  });

  it('keeps an existing XMP packet and adds to it', async () => {
    const input = readFileSync(join(CORPUS_VERIFY, 'phk-two-fields-signed-twice.pdf'));
    const before = PdfReader.open(input);
    const oldXmp = Buffer.from(before.streamData(before.resolve(before.catalog().get('Metadata')) as never)).toString('utf8');
    const signed = await signPdf(input, { signer: officer, resultCode: CODE });
    const file = join(dir, 'xmp.pdf');
    writeFileSync(file, signed);
    const meta = pdfinfo(file, '-meta');
    expect(meta).toContain(`<kyso:MaKetQua>${CODE}</kyso:MaKetQua>`);
    // Everything the packet said before is still there.
    const firstDescription = oldXmp.slice(oldXmp.indexOf('<rdf:Description'), oldXmp.indexOf('</rdf:Description>'));
    expect(meta).toContain(firstDescription);
    const sigs = pdfsig(file, nss);
    expect(sigs.map((s) => s.signatureValid)).toEqual([true, true, true]);
  });

  it('refuses a malformed code before touching anything', async () => {
    const err = await signPdf(await makePdfLibPdf(), { signer: officer, resultCode: '0520900.KQ.X15.21' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('SIGN_OPTIONS_INVALID');
  });

  it('a code changed after signing is reported as covered by no signature', async () => {
    const signed = await signPdf(await makePdfLibPdf(), { signer: officer, resultCode: CODE });
    const reader = PdfReader.open(signed);
    const writer = new IncrementalWriter(reader);
    const infoRef = reader.trailer.get('Info') as PdfRef;
    const info = (reader.resolve(infoRef) as PdfDict).clone().set('MaKetQua', PdfString.fromText('052090000495.KQ.G15.000021.03032024'));
    writer.set(infoRef, info);
    const xmpRef = reader.catalog().get('Metadata') as PdfRef;
    writer.set(xmpRef, reader.resolve(xmpRef));
    // Drop the XMP code so /Info is what the document states now.
    const { xmpStream } = await import('../../src/pdf/index.js');
    writer.set(xmpRef, xmpStream('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'));
    const changed = Buffer.concat([signed, writer.write().appended]);
    const report = await verifyPdf(changed, { trustStore: trust });
    expect(report.resultCode?.value).toBe('052090000495.KQ.G15.000021.03032024');
    expect(report.resultCode?.signedBy).toEqual([]);
    expect(report.findings.map((f) => f.code)).toContain('RESULT_CODE_NOT_SIGNED');
  });
});
