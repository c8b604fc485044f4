import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendSignedUpdate, SoftwareSigner, signPdf, TrustStore, verifyPdf } from '../../src/index.js';
import { appendSignedUpdateToFile } from '../../src/sign/index.js';
import { tempDir, testPki } from '../helpers/fixtures.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let original: Buffer;
let full: Uint8Array;
let update: Uint8Array;
let root: string;
beforeAll(async () => {
  const pki = await testPki();
  root = pki.root.certPem;
  original = readFileSync(join(__dirname, '../../../../examples/assets/sample.pdf'));
  full = await signPdf(original, { signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }) });
  update = full.subarray(original.length);
});

describe('appendSignedUpdate', () => {
  it('joins the original and the update into the signed file, byte for byte, which verifies', async () => {
    const joined = appendSignedUpdate(original, update, sha256(full).toUpperCase());
    expect(Buffer.from(joined).equals(Buffer.from(full))).toBe(true);
    expect((await verifyPdf(joined, { trustStore: TrustStore.fromPem(root) })).verdict).toBe('valid');
  });

  it('refuses another original, a cut update and a malformed digest', () => {
    const other = Buffer.from(original);
    other[200] = other[200]! ^ 1;
    expect(() => appendSignedUpdate(other, update, sha256(full))).toThrow(expect.objectContaining({ code: 'SIGN_UPDATE_MISMATCH' }));
    expect(() => appendSignedUpdate(original, update.subarray(0, update.length - 1), sha256(full))).toThrow(expect.objectContaining({ code: 'SIGN_UPDATE_MISMATCH' }));
    expect(() => appendSignedUpdate(original, update, 'abc')).toThrow(expect.objectContaining({ code: 'SIGN_OPTIONS_INVALID' }));
  });

  it('for files: the output appears only when the digest matches, and nothing is left behind otherwise', async () => {
    const dir = tempDir('kyso-update-');
    const input = join(dir, 'in.pdf');
    writeFileSync(input, original);
    await appendSignedUpdateToFile(input, update, { sha256: sha256(full), output: join(dir, 'signed.pdf') });
    expect(readFileSync(join(dir, 'signed.pdf')).equals(Buffer.from(full))).toBe(true);
    await expect(appendSignedUpdateToFile(input, update.subarray(1), { sha256: sha256(full), output: join(dir, 'bad.pdf') })).rejects.toMatchObject({ code: 'SIGN_UPDATE_MISMATCH' });
    expect(existsSync(join(dir, 'bad.pdf'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['in.pdf', 'signed.pdf']);
    await expect(appendSignedUpdateToFile(join(dir, 'missing.pdf'), update, { sha256: sha256(full), output: join(dir, 'x.pdf') })).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});
