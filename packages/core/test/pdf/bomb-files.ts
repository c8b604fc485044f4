/**
 * Hostile PDFs for bombs.test.ts, built by hand so each one is exactly the
 * attack it names and nothing else is wrong with it. Not a test file.
 */
import { createDeflate, deflateSync, constants as zc } from 'node:zlib';

const enc = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Deflate of `prefix` followed by `zeros` zero bytes, streamed: a 2 GiB bomb costs 2 MB and a second to make. */
export async function deflateZeros(prefix: string, zeros: number): Promise<Buffer> {
  const d = createDeflate({ level: 1, strategy: zc.Z_RLE, memLevel: 9 });
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  d.write(enc(prefix));
  const mib = Buffer.alloc(1 << 20);
  for (let left = zeros; left > 0; left -= mib.length) {
    const ok = d.write(left >= mib.length ? mib : mib.subarray(0, left));
    if (!ok) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return Buffer.concat(chunks);
}

type Body = string | Buffer;

/**
 * A file with a classic cross-reference table: bodies[i] is object i+1
 * ("obj ... endobj" added), `trailer` the trailer's extra entries.
 */
export function classicPdf(bodies: readonly Body[], trailer = '/Root 1 0 R', options: { size?: string; subsectionEach?: boolean } = {}): Buffer {
  // Text pieces joined once: a million Buffer.concat parts took seconds.
  const head = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const parts: (string | Buffer)[] = [head];
  let at = head.length;
  const offsets: number[] = [];
  bodies.forEach((b, i) => {
    offsets.push(at);
    const open = `${i + 1} 0 obj\n`;
    parts.push(open, b, '\nendobj\n');
    at += open.length + b.length + 8;
  });
  const row = (o: number): string => `${String(o).padStart(10, '0')} 00000 n\r\n`;
  let xref: string;
  if (options.subsectionEach) {
    // One subsection per object: "n 1" headers, a million of them.
    xref = `xref\n0 1\n0000000000 65535 f\r\n${offsets.map((o, i) => `${i + 1} 1\n${row(o)}`).join('')}`;
  } else xref = `xref\n0 ${offsets.length + 1}\n0000000000 65535 f\r\n${offsets.map(row).join('')}`;
  parts.push(`${xref}trailer\n<< /Size ${options.size ?? offsets.length + 1} ${trailer} >>\nstartxref\n${at}\n%%EOF\n`);
  if (parts.every((p) => typeof p === 'string')) return enc((parts as string[]).join(''));
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc(p) : p)));
}

export interface Entry {
  type: 0 | 1 | 2;
  a: number;
  b: number;
}

/**
 * A file whose objects are listed by an uncompressed cross-reference
 * stream, so entries can be compressed ones (type 2). `bodies[i]` is object
 * i+1 or, when undefined, an object the caller lists in `extra` entries.
 */
export function xrefStreamPdf(bodies: readonly (Body | undefined)[], extra: Record<number, Entry> = {}, dict = '/Root 1 0 R', options: { xrefFilter?: 'flate'; xrefData?: Buffer } = {}): Buffer {
  const parts: Buffer[] = [enc('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let at = parts[0]!.length;
  const entries: Entry[] = [{ type: 0, a: 0, b: 65535 }];
  bodies.forEach((b, i) => {
    const num = i + 1;
    if (b === undefined) {
      entries.push(extra[num] ?? { type: 0, a: 0, b: 0 });
      return;
    }
    entries.push({ type: 1, a: at, b: 0 });
    const chunk = Buffer.concat([enc(`${num} 0 obj\n`), typeof b === 'string' ? enc(b) : b, enc('\nendobj\n')]);
    parts.push(chunk);
    at += chunk.length;
  });
  const xrefNum = bodies.length + 1;
  entries.push({ type: 1, a: at, b: 0 });
  const rows = Buffer.alloc(entries.length * 7);
  entries.forEach((e, i) => {
    rows[i * 7] = e.type;
    rows.writeUInt32BE(e.a, i * 7 + 1);
    rows.writeUInt16BE(e.b, i * 7 + 5);
  });
  const data = options.xrefData ?? (options.xrefFilter === 'flate' ? deflateSync(rows) : rows);
  const filter = options.xrefFilter === 'flate' || options.xrefData ? '/Filter /FlateDecode ' : '';
  parts.push(enc(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${entries.length} /W [1 4 2] ${filter}/Length ${data.length} ${dict} >>\nstream\n`), data, enc(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** An object stream body holding `objects` (number, text), optionally Flate-compressed. */
export function objectStream(objects: readonly [number, string][], options: { extra?: string; data?: Buffer; flate?: boolean } = {}): Buffer {
  let header = '';
  let body = '';
  for (const [num, text] of objects) {
    header += `${num} ${body.length} `;
    body += text + '\n';
  }
  const raw = enc(header + body);
  const data = options.data ?? (options.flate ? deflateSync(raw) : raw);
  const filter = options.flate || options.data ? '/Filter /FlateDecode ' : '';
  return Buffer.concat([enc(`<< /Type /ObjStm /N ${objects.length} /First ${header.length} ${filter}/Length ${data.length} ${options.extra ?? ''}>>\nstream\n`), data, enc('\nendstream')]);
}

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

export interface BombContext {
  /** A small file signed with the test PKI, for bombs that are updates of a signed document. */
  signed: Uint8Array;
}

export interface Bomb {
  name: string;
  /** What the bomb is, for the report. */
  what: string;
  make: (ctx: BombContext) => Promise<Buffer> | Buffer;
}

/** Some page-tree objects to sign, for BombContext.signed. */
export function plainPdf(): Buffer {
  return classicPdf([CATALOG, PAGES, PAGE]);
}

const GiB = 2 ** 30;

export const BOMBS: Bomb[] = [
  {
    name: 'flate-objstm-2GiB',
    what: 'an object stream holding a page whose FlateDecode data inflates to 2 GiB',
    make: async () => {
      const inner = `3 0 ${PAGE}\n`;
      const data = await deflateZeros(inner, 2 * GiB);
      const objstm = objectStream([[3, PAGE]], { data });
      return xrefStreamPdf([CATALOG, PAGES, undefined, objstm], { 3: { type: 2, a: 4, b: 0 } });
    },
  },
  {
    name: 'flate-xref-2GiB',
    what: 'a cross-reference stream whose FlateDecode data inflates to 2 GiB',
    make: async () => xrefStreamPdf([CATALOG, PAGES, PAGE], {}, '/Root 1 0 R', { xrefData: await deflateZeros('', 2 * GiB) }),
  },
  {
    name: 'flate-spread-16x30MiB',
    what: '16 object streams of 30 MiB each, every one under the per-stream limit, 480 MiB together',
    make: async () => {
      const bodies: (Body | undefined)[] = [CATALOG, `<< /Type /Pages /Kids [3 0 R] /Count 1 >>`];
      const extra: Record<number, Entry> = {};
      // Page 3 names 16 compressed objects (20..35), each alone in its own object stream (4..19).
      const refs = Array.from({ length: 16 }, (_, i) => `${20 + i} 0 R`).join(' ');
      bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /KysoExtra [${refs}] >>`);
      for (let i = 0; i < 16; i++) {
        const num = 20 + i;
        const text = `<< /I ${i} >>`;
        // What follows the object in its stream inflates to 30 MiB of zeros.
        bodies.push(objectStream([[num, text]], { data: await deflateZeros(`${num} 0 ${text}\n`, 30 * 2 ** 20) }));
        extra[num] = { type: 2, a: 4 + i, b: 0 };
      }
      while (bodies.length < 35) bodies.push(undefined);
      return xrefStreamPdf(bodies, extra);
    },
  },
  {
    name: 'nest-array-100k',
    what: 'the catalog holds an array nested 100,000 deep',
    make: () => classicPdf([`<< /Type /Catalog /Pages 2 0 R /Deep ${'['.repeat(100_000)}${']'.repeat(100_000)} >>`, PAGES, PAGE]),
  },
  {
    name: 'nest-dict-100k',
    what: 'a page holds dictionaries nested 100,000 deep',
    make: () => classicPdf([CATALOG, PAGES, `<< /Type /Page /Parent 2 0 R /Deep ${'<< /A '.repeat(100_000)}${'>>'.repeat(100_000)} >>`]),
  },
  {
    name: 'nest-trailer-100k',
    what: 'the trailer dictionary holds arrays nested 100,000 deep',
    make: () => classicPdf([CATALOG, PAGES, PAGE], `/Root 1 0 R /Deep ${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  },
  {
    name: 'nest-objstm-100k',
    what: 'a compressed object nested 100,000 deep inside an object stream',
    make: () => {
      const deep = `<< /Type /Page /Parent 2 0 R /Deep ${'['.repeat(100_000)}${']'.repeat(100_000)} >>`;
      return xrefStreamPdf([CATALOG, PAGES, undefined, objectStream([[3, deep]], { flate: true })], { 3: { type: 2, a: 4, b: 0 } });
    },
  },
  {
    name: 'nest-refs-100k',
    what: 'nesting through references: 100,000 objects, each an array holding the next',
    make: () => {
      const n = 100_000;
      const bodies: string[] = [`<< /Type /Catalog /Pages 2 0 R /Chain 4 0 R >>`, PAGES, PAGE];
      for (let i = 0; i < n; i++) bodies.push(`[${i + 5} 0 R]`);
      return classicPdf(bodies);
    },
  },
  {
    name: 'prev-loop',
    what: 'two updates whose /Prev point at each other (and a third at itself)',
    make: () => {
      const base = classicPdf([CATALOG, PAGES, PAGE]);
      const a = base.length;
      const sectionA = `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev 0000000000 >>\nstartxref\n${a}\n%%EOF\n`;
      const b = a + sectionA.length;
      const sectionB = `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${a} >>\nstartxref\n${b}\n%%EOF\n`;
      const c = b + sectionB.length;
      const sectionC = `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${b} /XRefStm ${c} >>\nstartxref\n${c}\n%%EOF\n`;
      return Buffer.concat([base, enc(sectionA.replace('0000000000', String(b).padStart(10, '0'))), enc(sectionB), enc(sectionC)]);
    },
  },
  {
    name: 'page-tree-cycle',
    what: 'a page tree whose /Kids lead back to the root, with /Parent loops and a /Count of 2^31',
    make: () =>
      classicPdf([
        CATALOG,
        '<< /Type /Pages /Kids [4 0 R 3 0 R 2 0 R] /Count 2147483648 >>',
        '<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>',
        '<< /Type /Pages /Parent 4 0 R /Kids [2 0 R 4 0 R] /Count 3 >>',
      ]),
  },
  {
    name: 'page-tree-dag',
    what: 'a page tree of 6 levels where every node lists the next 60 times: 60^6 paths',
    make: () => {
      const bodies: string[] = [CATALOG];
      const levels = 6;
      for (let l = 0; l < levels; l++) bodies.push(`<< /Type /Pages /Kids [${`${l + 3} 0 R `.repeat(60)}] /Count ${60 ** (levels - l)} >>`);
      bodies.push(`<< /Type /Page /Parent ${levels + 1} 0 R /MediaBox [0 0 595 842] >>`);
      return classicPdf(bodies);
    },
  },
  {
    name: 'objstm-contains-itself',
    what: 'object stream 4 is listed as compressed inside itself, and object stream 5 inside 6 inside 5',
    make: () => {
      const s5 = objectStream([[6, '<< >>'], [3, PAGE]], { flate: true });
      const s6 = objectStream([[5, '<< >>']], { flate: true });
      return xrefStreamPdf([CATALOG, PAGES, undefined, undefined, undefined, undefined, '<< /Type /Catalog /Pages 2 0 R >>', s5, s6], {
        3: { type: 2, a: 4, b: 0 },
        4: { type: 2, a: 4, b: 0 },
        5: { type: 2, a: 6, b: 0 },
        6: { type: 2, a: 5, b: 0 },
      });
    },
  },
  {
    name: 'objstm-length-self',
    what: 'an object stream whose /Length is a compressed object inside that same stream',
    make: () => {
      const text = `7 0 ${PAGE}\n8 0 12\n`;
      const raw = enc(text);
      const body = Buffer.concat([enc(`<< /Type /ObjStm /N 2 /First 0 /Length 8 0 R >>\nstream\n`), raw, enc('\nendstream')]);
      return xrefStreamPdf([CATALOG, '<< /Type /Pages /Kids [7 0 R] /Count 1 >>', undefined, body, undefined, undefined, undefined, undefined], { 7: { type: 2, a: 4, b: 0 }, 8: { type: 2, a: 4, b: 1 } });
    },
  },
  {
    name: 'size-2^31-table',
    what: 'a classic trailer with /Size 2^31 and a subsection header claiming 2^31 entries',
    make: () => {
      const f = classicPdf([CATALOG, PAGES, PAGE], '/Root 1 0 R', { size: '2147483648' });
      const text = f.toString('latin1');
      const at = text.lastIndexOf('xref\n0 4\n');
      // A second subsection after the real one, claiming 2^31 - 4 more objects.
      return Buffer.concat([f.subarray(0, at), enc(text.slice(at).replace('trailer', '4 2147483644\ntrailer'))]);
    },
  },
  {
    name: 'size-2^31-xref-stream',
    what: 'a cross-reference stream with /Size 2^31 and /Index [0 2^31]',
    make: () => {
      const f = xrefStreamPdf([CATALOG, PAGES, PAGE]);
      return enc(f.toString('latin1').replace(/\/Size \d+/, '/Size 2147483648 /Index [0 2147483648]'));
    },
  },
  {
    name: 'size-2^31-trailer-only',
    what: 'an otherwise valid file whose /Size is 2^31',
    make: () => classicPdf([CATALOG, PAGES, PAGE], '/Root 1 0 R', { size: '2147483648' }),
  },
  {
    name: 'length-1GiB',
    what: 'a content stream and an object stream with /Length 1 GiB in a 1 KB file',
    make: () => {
      const content = '<< /Length 1073741824 >>\nstream\nBT ET\nendstream';
      const page = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>`;
      const os = enc(objectStream([[3, page]]).toString('latin1').replace(/\/Length \d+/, '/Length 1073741824'));
      return xrefStreamPdf([CATALOG, PAGES, undefined, os, content], { 3: { type: 2, a: 4, b: 0 } });
    },
  },
  {
    name: 'million-objects-table',
    what: '1,000,000 tiny objects in a classic table (a 40 MB file)',
    make: () => {
      const n = 1_000_000;
      const bodies: string[] = [CATALOG, PAGES, PAGE];
      for (let i = 4; i <= n; i++) bodies.push(String(i));
      return classicPdf(bodies);
    },
  },
  {
    name: 'million-subsections',
    what: '1,000,000 objects, each in a cross-reference subsection of its own',
    make: () => {
      const bodies: string[] = [CATALOG, PAGES, PAGE];
      for (let i = 4; i <= 1_000_000; i++) bodies.push(String(i));
      return classicPdf(bodies, '/Root 1 0 R', { subsectionEach: true });
    },
  },
  {
    name: 'update-million-entries',
    what: 'an update after a signature whose cross-reference stream lists 1,000,000 entries (14 KB compressed)',
    make: ({ signed }) => {
      const base = Buffer.from(signed);
      const text = base.toString('latin1');
      const sx = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
      const root = [...text.matchAll(/\/Root\s+(\d+ \d+ R)/g)].pop()![1];
      const n = 1_000_000;
      const rows = Buffer.alloc((n + 1) * 7);
      // The objects the signed file defines keep their places; every other number is listed free.
      for (const m of text.matchAll(/(?<!\d)(\d+) 0 obj/g)) {
        const num = Number(m[1]);
        if (num >= n) continue;
        rows[num * 7] = 1;
        rows.writeUInt32BE(m.index!, num * 7 + 1);
      }
      rows[n * 7] = 1;
      rows.writeUInt32BE(base.length, n * 7 + 1);
      const data = deflateSync(rows);
      const head = `${n} 0 obj\n<< /Type /XRef /Size ${n + 1} /W [1 4 2] /Filter /FlateDecode /Length ${data.length} /Root ${root} /Prev ${sx} >>\nstream\n`;
      return Buffer.concat([base, enc(head), data, enc(`\nendstream\nendobj\nstartxref\n${base.length}\n%%EOF\n`)]);
    },
  },
  {
    name: 'million-objects-objstm',
    what: '1,000,000 tiny objects in 10,000 object streams, listed by a cross-reference stream',
    make: () => {
      const n = 1_000_000;
      const per = 100;
      const streams = Math.ceil(n / per);
      // Objects 1..3 plain, object stream k at 4+k, compressed objects after them.
      const first = 4 + streams;
      const bodies: (Body | undefined)[] = [CATALOG, PAGES, PAGE];
      const extra: Record<number, Entry> = {};
      for (let k = 0; k < streams; k++) {
        const objs: [number, string][] = [];
        for (let j = 0; j < per; j++) {
          const num = first + k * per + j;
          objs.push([num, String(num)]);
          extra[num] = { type: 2, a: 4 + k, b: j };
        }
        bodies.push(objectStream(objs, { flate: true }));
      }
      for (let i = 0; i < n; i++) bodies.push(undefined);
      return xrefStreamPdf(bodies, extra, '/Root 1 0 R', { xrefFilter: 'flate' });
    },
  },
];
