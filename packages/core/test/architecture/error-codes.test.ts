/*
 * docs/error-codes.md is produced from the code (scripts/error-codes.ts): a
 * new code, a changed comment or a new status shows up as a stale table.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodeTable } from '../../../../scripts/error-codes.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('the error-code table', () => {
  const table = errorCodeTable();

  it('docs/error-codes.md is what scripts/error-codes.ts makes from the code (pnpm error-codes)', () => {
    expect(readFileSync(`${ROOT}docs/error-codes.md`, 'utf8')).toBe(table);
  });

  it('lists every code of the union, with a meaning, and the service-only codes', () => {
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    for (const code of ['PDF_NOT_PDF', 'SIGN_FIELD_LOCKED', 'CODE_STATE', 'PKCS11_PIN_LOCKED', 'AUTH_REQUIRED', 'REQUEST_TIMEOUT']) expect(rows.some((r) => r.startsWith(`| \`${code}\``))).toBe(true);
    const library = rows.filter((r) => r.split('|').length === 7);
    expect(library.filter((r) => r.split('|')[4]!.trim() === '')).toEqual([]);
  });
});
