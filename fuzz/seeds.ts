/**
 * The campaign's seed files, copied into one directory so that every child
 * process reads the same bytes in the same order: the small files of the
 * shared corpus (large ones would only slow every case down) and files
 * signed with the test PKI, classic, with object streams, hybrid, signed twice.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signPdf, SoftwareSigner } from '../packages/core/src/index.js';
import { CORPUS_BCY, CORPUS_VERIFY, makeHybridPdf, makePdfLibPdf, testPki, withObjectStreams } from '../packages/core/test/helpers/fixtures.js';
import type { PkiPem } from './case.js';

export const MAX_CORPUS_SEED_BYTES = 200_000;

export async function prepareSeeds(dir: string, options: { corpus?: boolean; maxCorpusBytes?: number } = {}): Promise<{ seedDir: string; pkiFile: string }> {
  const seedDir = join(dir, 'seeds');
  const pkiFile = join(dir, 'pki.json');
  mkdirSync(seedDir, { recursive: true });
  const pki = await testPki();
  const pem: PkiPem = { key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem, root: pki.root.certPem };
  writeFileSync(pkiFile, JSON.stringify(pem));
  if (options.corpus !== false) {
    for (const corpus of [CORPUS_VERIFY, CORPUS_BCY]) {
      if (!existsSync(corpus)) continue;
      for (const f of readdirSync(corpus).filter((n) => n.endsWith('.pdf')).sort()) {
        if (statSync(join(corpus, f)).size <= (options.maxCorpusBytes ?? MAX_CORPUS_SEED_BYTES)) copyFileSync(join(corpus, f), join(seedDir, `corpus-${f}`));
      }
    }
  }
  const made = join(seedDir, 'pki-signed-twice.pdf');
  if (!existsSync(made)) {
    const signer = SoftwareSigner.fromPem({ key: pem.key, cert: pem.cert, chain: pem.chain });
    const at = new Date(Date.UTC(2025, 0, 1));
    const classic = await makePdfLibPdf(2);
    const objstm = withObjectStreams(classic);
    const hybrid = makeHybridPdf();
    const once = await signPdf(classic, { signer, signingTime: at });
    writeFileSync(join(seedDir, 'pki-classic.pdf'), classic);
    writeFileSync(join(seedDir, 'pki-objstm.pdf'), objstm);
    writeFileSync(join(seedDir, 'pki-hybrid.pdf'), hybrid);
    writeFileSync(join(seedDir, 'pki-signed-classic.pdf'), once);
    writeFileSync(join(seedDir, 'pki-signed-objstm.pdf'), await signPdf(objstm, { signer, signingTime: at }));
    writeFileSync(join(seedDir, 'pki-signed-hybrid.pdf'), await signPdf(hybrid, { signer, signingTime: at }));
    writeFileSync(made, await signPdf(once, { signer, signingTime: at, fieldName: 'Second' }));
  }
  return { seedDir, pkiFile };
}
