import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/modification-analysis.ts', () => {
  it('names the rules that allow a second signature and the path of a catalog swap no rule allows', () => {
    const out = execFileSync('node', ['--import', 'tsx', join(__dirname, 'modification-analysis.ts')], { encoding: 'utf8', cwd: join(__dirname, '..') });
    const [second, swapped] = out.split('catalog swapped by an xref-only update');
    expect(second).toContain('second signature: valid (allowed)');
    for (const rule of ['signature.new-field', 'signature.dictionary', 'signature.register-field']) expect(second).toContain(rule);
    expect(second).not.toContain('✗');
    expect(swapped).toMatch(/^: invalid \(suspicious\)/);
    expect(swapped).toContain('✗ no rule  /Root');
    expect(swapped).toMatch(/signature "Signature1": TOTAL_FAILED, .*SIGNATURE_FIELD_REMOVED/);
  });
});
