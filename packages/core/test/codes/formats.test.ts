import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENCY_CODE_FORMATS,
  buildCaseCode,
  buildResultCode,
  CCCD_PROVINCES,
  CodeCatalog,
  defaultCatalog,
  describeCccd,
  formatCertBook,
  formatCertNumberLine,
  formatResultCodeDisplay,
  isCaseCode,
  isResultCode,
  maxCaseSequence,
  matchTemplate,
  parseAgencyCode,
  parseCaseCode,
  parseCertBook,
  parseCertNumberLine,
  parseOwnerId,
  parseResultCode,
  parseResultCodeDisplay,
  renderTemplate,
  SEED_MINISTRIES,
  vietnamDate,
  formatYYMMDD,
} from '../../src/codes/index.js';
import { expectCode } from './store-contract.js';

describe('result codes: every example of domain.md §5.1', () => {
  const examples = [
    { code: '052090000495.KQ.G15.000021.02022024', owner: 'cccd', type: 'G15.000021', suffix: '02022024' },
    { code: '00000000000.KQ.G01.000023', owner: 'placeholder', type: 'G01.000023', suffix: undefined },
    { code: '052098000814.KQ.G02.000144.CS10387', owner: 'cccd', type: 'G02.000144', suffix: 'CS10387' },
    { code: '205404812.KQ.G01.000005.CS10387', owner: 'cmnd', type: 'G01.000005', suffix: 'CS10387' },
  ];
  for (const ex of examples) {
    it(`parses and round-trips ${ex.code}`, () => {
      const p = parseResultCode(ex.code);
      expect(p.ownerInfo.kind).toBe(ex.owner);
      expect(p.type).toBe(ex.type);
      expect(p.suffix).toBe(ex.suffix);
      expect(buildResultCode({ owner: p.owner, ministry: p.ministry, serial: p.serial, ...(p.suffix ? { suffix: p.suffix } : {}) })).toBe(ex.code);
      expect(buildResultCode({ owner: p.owner, type: p.type, ...(p.suffix ? { suffix: p.suffix } : {}) })).toBe(ex.code);
      expect(isResultCode(ex.code)).toBe(true);
      expect(parseResultCodeDisplay(ex.code).code).toBe(ex.code);
    });
  }

  it('renders and reads the display form of the certified-copy example', () => {
    const display = '052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính';
    expect(formatResultCodeDisplay('052090000495.KQ.G15.000021.02022024')).toBe(display);
    const p = parseResultCodeDisplay(display);
    expect([p.code, p.suffix, p.name]).toEqual(['052090000495.KQ.G15.000021.02022024', '02022024', 'Bản sao được chứng thực từ bản chính']);
    expect(formatResultCodeDisplay(p.code)).toBe(display);
  });

  it('reads display forms without suffix, and with unknown types', () => {
    const p = parseResultCodeDisplay('00000000000.KQ.G01.000023.Thẻ căn cước công dân');
    expect([p.code, p.suffix, p.name]).toEqual(['00000000000.KQ.G01.000023', undefined, 'Thẻ căn cước công dân']);
    expect(formatResultCodeDisplay('00000000000.KQ.G01.000023')).toBe('00000000000.KQ.G01.000023.Thẻ căn cước công dân');
    expect(formatResultCodeDisplay('052098000814.KQ.G02.000144.CS10387')).toBe(
      '052098000814.KQ.G02.000144.CS10387.Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu',
    );
    const u = parseResultCodeDisplay('205404812.KQ.G01.000005.CS10387.Giấy tờ khác');
    expect([u.suffix, u.name]).toEqual(['CS10387', 'Giấy tờ khác']);
    expect(parseResultCodeDisplay('205404812.KQ.G01.000005.Giấy tờ khác').name).toBe('Giấy tờ khác');
  });

  it('needs a name for the display form of an unknown type', async () => {
    await expectCode(() => formatResultCodeDisplay('205404812.KQ.G01.000005.CS10387'), 'CODE_NOT_FOUND');
    expect(formatResultCodeDisplay('205404812.KQ.G01.000005.CS10387', { name: 'X' })).toBe('205404812.KQ.G01.000005.CS10387.X');
    await expectCode(() => parseResultCode('205404812.KQ.G01.000005', { requireKnownType: true }), 'CODE_NOT_FOUND');
  });

  it('rejects malformed result codes', async () => {
    for (const bad of [
      '',
      '052090000495',
      '052090000495.KQ.G15',
      '052090000495.KQ.G15.21',
      '052090000495.kq.G15.000021',
      '052090000495.XX.G15.000021',
      '052090000495.KQ.15.000021',
      '052090000495.KQ.G1.000021',
      '052090000495.KQ.G15.0000211',
      '05209000049.KQ.G15.000021', // 11 digits, not zeros
      '999090000495.KQ.G15.000021', // no province 999
      '12345.KQ.G15.000021',
      '052090000495.KQ.G15.000021.',
      '052090000495.KQ.G15.000021.a b',
      '052090000495.KQ.G15.000021.a.b',
      '052090000495 .KQ.G15.000021',
      'x'.repeat(600),
    ]) {
      expect(isResultCode(bad), bad).toBe(false);
      await expectCode(() => parseResultCode(bad), 'CODE_INVALID');
    }
    await expectCode(() => buildResultCode({ owner: '052090000495', type: 'G15.000021', suffix: 'has space' }), 'CODE_INVALID');
    await expectCode(() => buildResultCode({ owner: '052090000495', ministry: 'G15', serial: 1_000_000 }), 'CODE_INVALID');
  });

  it('round-trips generated codes (property)', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
    const provinces = Object.keys(CCCD_PROVINCES);
    const owner = fc.oneof(
      fc.tuple(fc.constantFrom(...provinces), digits(9)).map(([p, rest]) => p + rest),
      digits(9).filter((s) => !/^0+$/.test(s)),
      digits(10).filter((s) => !/^0+$/.test(s)),
      fc.tuple(digits(10), digits(3)).map(([a, b]) => `${a}-${b}`),
      fc.integer({ min: 1, max: 20 }).map((n) => '0'.repeat(n)),
    );
    const suffixChar = fc.constantFrom(...'ABCXYZabcđĐ0123456789/-_'.split(''));
    const suffix = fc.option(
      fc.tuple(fc.constantFrom(...'ABCĐ0123456789'.split('')), fc.array(suffixChar, { maxLength: 20 })).map(([h, t]) => h + t.join('')),
      { nil: undefined },
    );
    fc.assert(
      fc.property(owner, fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 999_999 }), suffix, (o, m, serial, s) => {
        const ministry = `G${String(m).padStart(2, '0')}`;
        const code = buildResultCode({ owner: o, ministry, serial, ...(s ? { suffix: s } : {}) });
        const p = parseResultCode(code);
        expect([p.owner, p.ministry, Number(p.serial), p.suffix]).toEqual([o, ministry, serial, s]);
        const d = parseResultCodeDisplay(formatResultCodeDisplay(code, { name: 'Giấy tờ thử nghiệm' }));
        expect([d.code, d.suffix, d.name]).toEqual([code, s, 'Giấy tờ thử nghiệm']);
      }),
      { numRuns: 500 },
    );
  });
});

describe('owner identifiers', () => {
  it('decodes a CCCD: province, sex, birth year', () => {
    expect(describeCccd('052090000495')).toEqual({ provinceCode: '052', province: 'Bình Định', sex: 'male', century: 1900, birthYear: 1990, serial: '000495' });
    expect(describeCccd('001305000001')).toMatchObject({ province: 'Hà Nội', sex: 'female', birthYear: 2005 });
    expect(describeCccd('096400000001')).toMatchObject({ province: 'Cà Mau', sex: 'male', birthYear: 2100 });
    expect(describeCccd('079199123456')).toMatchObject({ province: 'Hồ Chí Minh', sex: 'female', birthYear: 1999 });
    expect(Object.keys(CCCD_PROVINCES)).toHaveLength(63);
  });

  it('classifies all kinds and accepts a custom province table', async () => {
    expect(parseOwnerId('205404812').kind).toBe('cmnd');
    expect(parseOwnerId('0101234567')).toEqual({ kind: 'tax', value: '0101234567', taxCode: '0101234567' });
    expect(parseOwnerId('0101234567-001')).toEqual({ kind: 'tax-branch', value: '0101234567-001', taxCode: '0101234567', branch: '001' });
    expect(parseOwnerId('00000000000').kind).toBe('placeholder');
    expect(parseOwnerId('000000000000').kind).toBe('placeholder');
    await expectCode(() => parseOwnerId('003090000495'), 'CODE_INVALID');
    expect(parseOwnerId('003090000495', { allowUnknownProvince: true }).cccd?.province).toBeUndefined();
    expect(parseOwnerId('003090000495', { provinces: { '003': 'Tỉnh mới' } }).cccd?.province).toBe('Tỉnh mới');
    for (const bad of ['', '1234567', '12345678901', '1234567890123', '0101234567-01', '0101234567-0011', 'abc', ' 205404812', '２０５４０４８１２']) {
      await expectCode(() => parseOwnerId(bad), 'CODE_INVALID');
    }
  });
});

describe('catalogue', () => {
  it('seeds G01..G22 and the known result types, and can be extended', async () => {
    expect(SEED_MINISTRIES.map((m) => m.code)).toEqual(Array.from({ length: 22 }, (_, i) => `G${String(i + 1).padStart(2, '0')}`));
    expect(defaultCatalog.ministry('G15')?.name).toBe('Bộ Tư pháp');
    expect(defaultCatalog.resultTypes().map((t) => t.code)).toEqual(['G01.000023', 'G02.000144', 'G15.000021', 'G15.000031', 'G15.000032']);
    const c = new CodeCatalog({ resultTypes: [{ code: 'G15.000099', name: 'Trích lục thử' }] });
    c.addResultType({ code: 'G01.000005', name: 'Giấy tờ công an' });
    expect(formatResultCodeDisplay('205404812.KQ.G01.000005.CS10387', { catalog: c })).toBe('205404812.KQ.G01.000005.CS10387.Giấy tờ công an');
    expect(defaultCatalog.resultType('G15.000099')).toBeUndefined();
    expect(new CodeCatalog({ seed: false }).resultTypes()).toEqual([]);
    await expectCode(() => c.addResultType({ code: 'G15.21', name: 'x' }), 'CODE_INVALID');
    await expectCode(() => c.addMinistry({ code: 'G15', name: ' ' }), 'CODE_INVALID');
  });
});

describe('agency and case codes', () => {
  it('accepts both agency-code formats', () => {
    expect(parseAgencyCode('000.00.00.H56')).toEqual({ code: '000.00.00.H56', format: 'legacy', levels: ['H56', '00', '00', '000'] });
    expect(parseAgencyCode('H55.242')).toEqual({ code: 'H55.242', format: 'qd20', levels: ['H55', '242'] });
    expect(parseAgencyCode('G12.18').format).toBe('qd20');
    for (const bad of ['', 'h55.242', '00.00.00.H56', 'H5.242', 'H55-242', '000.00.00.H56.1']) expect(() => parseAgencyCode(bad), bad).toThrow();
    expect(AGENCY_CODE_FORMATS).toHaveLength(2);
  });

  it('builds and parses case codes with both agency formats', () => {
    for (const code of ['000.00.00.H56-240202-0001', 'H55.242-240202-0099', 'G12.18-241231-9999']) {
      const p = parseCaseCode(code);
      expect(buildCaseCode(p)).toBe(code);
    }
    expect(parseCaseCode('000.00.00.H56-240202-0012')).toEqual({ code: '000.00.00.H56-240202-0012', agency: '000.00.00.H56', date: { year: 2024, month: 2, day: 2 }, sequence: 12 });
    expect(maxCaseSequence()).toBe(9999);
  });

  it('uses the Vietnam date of an instant, whatever TZ the process has', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Asia/Ho_Chi_Minh', 'UTC', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(buildCaseCode({ agency: 'H55.242', date: new Date('2024-02-01T16:59:59Z'), sequence: 1 })).toBe('H55.242-240201-0001');
        expect(buildCaseCode({ agency: 'H55.242', date: new Date('2024-02-01T17:00:00Z'), sequence: 1 })).toBe('H55.242-240202-0001');
        expect(vietnamDate(new Date('2024-12-31T17:00:00Z'))).toEqual({ year: 2025, month: 1, day: 1 });
        expect(formatYYMMDD(vietnamDate(Date.parse('2024-02-28T17:00:00Z')))).toBe('240229');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('rejects malformed case codes', async () => {
    for (const bad of ['H55.242-240230-0001', 'H55.242-241301-0001', 'H55.242-240202-0000', 'H55.242-240202-001', 'H55.242-240202-00001', 'H55.242240202-0001', 'X-240202-0001', '-240202-0001', 'H55.242-240202-000a']) {
      expect(isCaseCode(bad), bad).toBe(false);
      await expectCode(() => parseCaseCode(bad), 'CODE_INVALID');
    }
    await expectCode(() => buildCaseCode({ agency: 'H55.242', date: { year: 2024, month: 2, day: 2 }, sequence: 10_000 }), 'CODE_INVALID');
    await expectCode(() => buildCaseCode({ agency: 'H55.242', date: { year: 2024, month: 2, day: 30 }, sequence: 1 }), 'CODE_INVALID');
  });

  it('round-trips generated case codes (property)', () => {
    const agency = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('G', 'H'), fc.integer({ min: 1, max: 99 })).map(
        ([a, b, c, l, n]) => `${String(a).padStart(3, '0')}.${String(b).padStart(2, '0')}.${String(c).padStart(2, '0')}.${l}${String(n).padStart(2, '0')}`,
      ),
      fc.tuple(fc.constantFrom('G', 'H'), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 999 })).map(([l, n, d]) => `${l}${String(n).padStart(2, '0')}.${d}`),
    );
    fc.assert(
      fc.property(agency, fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-30T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 9999 }), (a, at, seq) => {
        const code = buildCaseCode({ agency: a, date: at, sequence: seq });
        const p = parseCaseCode(code);
        expect([p.agency, p.date, p.sequence]).toEqual([a, vietnamDate(at), seq]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('certification numbers', () => {
  it('renders and parses the statement line and book', () => {
    expect(formatCertBook({ book: 2, year: 2024 })).toBe('02/2024-SCTĐT/BS');
    expect(formatCertNumberLine({ number: 99, book: 2, year: 2024 })).toBe('Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS');
    expect(parseCertNumberLine('Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS')).toEqual({ number: 99, book: 2, year: 2024, bookType: 'SCTĐT/BS', bookLabel: '02/2024-SCTĐT/BS' });
    expect(parseCertBook('12/2025-SCT/BS')).toEqual({ book: 12, year: 2025, bookType: 'SCT/BS' });
  });

  it('follows a configured template (a regulation change is configuration)', () => {
    const format = { statementTemplate: 'Số: {number}/{bookLabel}', bookTemplate: 'Q{book:3}-{year}-{bookType}', bookType: 'CTĐT' };
    const line = formatCertNumberLine({ number: 7, book: 4, year: 2026 }, format);
    expect(line).toBe('Số: 7/Q004-2026-CTĐT');
    expect(parseCertNumberLine(line, format)).toMatchObject({ number: 7, book: 4, year: 2026, bookType: 'CTĐT' });
  });

  it('rejects malformed lines and numbers', async () => {
    for (const bad of ['', 'Số chứng thực: 0  Quyển số: 02/2024-SCTĐT/BS', 'Số chứng thực: 9  Quyển số: 00/2024-SCTĐT/BS', 'Số chứng thực: x  Quyển số: 02/2024-SCTĐT/BS', 'Số chứng thực: 9 Quyển số: 02/24-SCTĐT/BS']) {
      await expectCode(() => parseCertNumberLine(bad), 'CODE_INVALID');
    }
    await expectCode(() => formatCertNumberLine({ number: 0, book: 1, year: 2024 }), 'CODE_INVALID');
    await expectCode(() => formatCertBook({ book: 1.5, year: 2024 }), 'CODE_INVALID');
  });

  it('round-trips generated numbers (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1000, max: 9999 }), (number, book, year) => {
        const p = parseCertNumberLine(formatCertNumberLine({ number, book, year }));
        expect([p.number, p.book, p.year]).toEqual([number, book, year]);
      }),
    );
  });
});

describe('templates', () => {
  it('renders, pads, escapes and matches', async () => {
    expect(renderTemplate('{{x}} {a:3}-{b}', { a: 7, b: 'z' })).toBe('{x} 007-z');
    expect(matchTemplate('{a}-{b}', 'x-y-z', { a: '[^-]+', b: '.+' })).toEqual({ a: 'x', b: 'y-z' });
    expect(matchTemplate('{a}-{a}', 'x-y')).toBeUndefined();
    await expectCode(() => renderTemplate('{a', {}), 'CODE_INVALID');
    await expectCode(() => renderTemplate('a}', {}), 'CODE_INVALID');
    await expectCode(() => renderTemplate('{a}', {}), 'CODE_INVALID');
  });
});
