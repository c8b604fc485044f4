import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/verify-pdf.ts', () => {
  it('reports a real BCY-signed document as valid, in Vietnamese', () => {
    const out = execFileSync('node', ['--import', 'tsx', join(__dirname, 'verify-pdf.ts')], { encoding: 'utf8', cwd: join(__dirname, '..') });
    expect(out).toContain('HỢP LỆ');
    expect(out).toContain('CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ');
    expect(out).toContain('RootCA chuyên dùng Chính phủ G2');
  });
});
