/**
 * Codes for a certified copy: the case code when the citizen's request is
 * received, the certification number for the statement, and the result code
 * under which the signed copy goes to the citizen's data store.
 *
 *   node --import tsx examples/codes.ts [data-dir]
 *
 * Numbers come from a SQLite file in the data directory (set DATABASE_URL to
 * use PostgreSQL instead); each is handed out once, even with many processes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeAllocator, openSequenceStore, parseCaseCode, isKysoError } from '@kyso/core';
import { formatResultCodeDisplay, parseResultCodeDisplay } from '@kyso/core/codes';

const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kyso-codes-example-'));
const store = await openSequenceStore({ dataDir, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}) });

// A fixed clock so the output is reproducible: 2 Feb 2024, 09:30 in Vietnam.
// In production, leave `clock` out.
const codes = new CodeAllocator({ store, clock: () => new Date('2024-02-02T02:30:00Z'), actor: 'nguyen.van.a' });

try {
  // 1. The request is received at Bình Định's Justice Department: a case code.
  const [caseCode] = await codes.caseCodes('000.00.00.H56', { idempotencyKey: 'portal-request-1001' });
  console.log(`case code: ${caseCode!.code}`);
  const parsed = parseCaseCode(caseCode!.code);
  console.log(`  agency ${parsed.agency}, received ${parsed.date.day}/${parsed.date.month}/${parsed.date.year}, no. ${parsed.sequence}`);

  // 2. The officer certifies the copy: a number in book 02 of this year.
  const [cert] = await codes.certNumbers('000.00.00.H56', 2, { idempotencyKey: 'portal-request-1001' });
  console.log(`statement: ${cert!.line}`);

  // 3. The signed copy goes to the citizen's data store under a result code;
  //    for certified copies the suffix is the issue date (ddmmyyyy).
  const result = await codes.resultCode({ owner: '052090000495', type: 'G15.000021' }, { idempotencyKey: 'portal-request-1001' });
  console.log(`result code: ${result.code}`);
  console.log(`display: ${formatResultCodeDisplay(result.code)}`);
  const owner = parseResultCodeDisplay(result.code).ownerInfo.cccd!;
  console.log(`owner: registered in ${owner.province}, ${owner.sex}, born ${owner.birthYear}`);

  // 4. All three were reserved; now that signing succeeded, confirm them.
  await codes.confirmCaseCode(caseCode!.code);
  await codes.confirmCertNumber('000.00.00.H56', cert!.year, cert!.number);
  await codes.confirmResultCode(result.code);

  // 5. The same result code cannot be issued twice (outside a retry).
  try {
    await codes.resultCode({ owner: '052090000495', type: 'G15.000021' });
  } catch (e) {
    if (!isKysoError(e)) throw e;
    console.log(`second issue refused: ${e.code}: ${e.messageVi}`);
  }

  // 6. The ledger says who got which number, when, and what became of it.
  for (const row of await store.ledger()) {
    console.log(`ledger: ${row.kind} ${row.agency} ${row.period} #${row.value} ${row.state} by ${row.actor}`);
  }
} finally {
  await store.close();
}
