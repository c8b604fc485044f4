/**
 * The bundled certificates must work from a built bundle, in ESM and CJS, with
 * no file next to it: bundle the trust layer with tsup (as the package build
 * does) into a temp directory and run both outputs with plain node.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'tsup';

const entry = fileURLToPath(new URL('../../src/trust/index.ts', import.meta.url));

describe('bundled trust store from a build', () => {
  const out = mkdtempSync(join(tmpdir(), 'kyso-trust-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('works in ESM and CJS without the assets directory', async () => {
    await build({
      entry: { trust: entry },
      format: ['esm', 'cjs'],
      outDir: out,
      target: 'node20',
      dts: false,
      sourcemap: false,
      splitting: false,
      silent: true,
      config: false,
      noExternal: [/.*/],
    });
    const files = readdirSync(out).sort();
    expect(files).toEqual(expect.arrayContaining(['trust.cjs', 'trust.js']));
    for (const f of ['trust.cjs', 'trust.js']) {
      expect(readFileSync(join(out, f), 'utf8')).not.toMatch(/assets\/trust/);
    }
    const script = `
      const m = %LOAD%;
      const s = m.TrustStore.forPolicy('bcy');
      const ca = m.bundledCertificates().find((b) => b.id === 'bcy-ca-nha-nuoc-g2');
      const r = m.buildChain(ca.certificate, { store: s, at: new Date('2025-01-01'), leafKeyUsage: 'any' });
      console.log(JSON.stringify({ anchors: s.anchors().map((a) => a.id).sort(), trusted: r.trusted, anchor: r.anchor && r.anchor.name }));
    `;
    const expected = { anchors: ['bcy-root-g1', 'bcy-root-g2'], trusted: true, anchor: 'RootCA chuyên dùng Chính phủ G2' };
    const cjs = execFileSync('node', ['-e', script.replace('%LOAD%', `require(${JSON.stringify(join(out, 'trust.cjs'))})`)], { cwd: out, encoding: 'utf8' });
    expect(JSON.parse(cjs)).toEqual(expected);
    const esm = execFileSync(
      'node',
      ['--input-type=module', '-e', script.replace('%LOAD%', `await import(${JSON.stringify(`file://${join(out, 'trust.js')}`)})`)],
      { cwd: out, encoding: 'utf8' },
    );
    expect(JSON.parse(esm)).toEqual(expected);
  });
});
