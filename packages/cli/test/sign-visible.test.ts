/**
 * `kyso sign`'s visible-signature options (--page, --rect, --keyword,
 * --image, --layout), run through the built CLI and judged by poppler
 * (pdfsig, pdftoppm, pdftotext) and qpdf.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { decodePng } from '../../core/test/appearance/images.js';

type Rect = [number, number, number, number];

const BIN = resolve(__dirname, '../dist/bin.js');
const ASSETS = resolve(__dirname, '../../../examples/assets');
const SAMPLE = join(ASSETS, 'sample.pdf');
const SIGNATURE_PNG = join(ASSETS, 'signature.png');
const SEAL_PNG = join(ASSETS, 'seal.png');
const PASSWORD = 'mật-khẩu-TEST-123';
const PAGE_HEIGHT = 841.89; // sample.pdf is one A4 page
const DPI = 50;
let dir: string;
let personal: string[];
let organisation: string[];

function kyso(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KYSO_LANG: 'en', P12_PW: PASSWORD } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const out = (name: string): string => join(dir, `${name}-${Math.random().toString(36).slice(2)}.pdf`);

/** A signature field's widget as qpdf reads it: its page (1-based), /Rect and whether it has a normal appearance stream. */
function widget(file: string, fieldName: string): { page: number; rect: Rect; hasAppearance: boolean } {
  const form = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=acroform', file], { encoding: 'utf8' })) as {
    acroform: { fields: { fullname: string; pageposfrom1: number; annotation: { object: string } }[] };
  };
  const field = form.acroform.fields.find((f) => f.fullname === fieldName);
  if (!field) throw new Error(`no field ${fieldName} in ${file}`);
  const num = field.annotation.object.split(' ')[0]!;
  const objs = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', `--json-object=${num}`, file], { encoding: 'utf8' })) as {
    qpdf: [unknown, Record<string, { value: Record<string, unknown> }>];
  };
  const annot = objs.qpdf[1][`obj:${field.annotation.object}`]!.value;
  const ap = annot['/AP'] as { '/N'?: string } | undefined;
  let hasAppearance = false;
  if (typeof ap?.['/N'] === 'string') {
    const apNum = ap['/N'].split(' ')[0]!;
    const stream = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', `--json-object=${apNum}`, file], { encoding: 'utf8' })) as {
      qpdf: [unknown, Record<string, { stream?: { dict: Record<string, unknown> } }>];
    };
    const dict = stream.qpdf[1][`obj:${ap['/N']}`]?.stream?.dict;
    hasAppearance = dict?.['/Subtype'] === '/Form';
  }
  return { page: field.pageposfrom1, rect: annot['/Rect'] as Rect, hasAppearance };
}

/** Pixels that are not (near) white inside `rect` (PDF points, origin bottom-left) of page 1 rendered by pdftoppm. */
function inkIn(file: string, rect: Rect): number {
  // The raster goes into the test's folder, never beside an input.
  const prefix = join(dir, `raster-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', ['-r', String(DPI), '-f', '1', '-l', '1', '-png', '-singlefile', file, prefix]);
  const { width, height, rgb } = decodePng(readFileSync(`${prefix}.png`));
  const s = DPI / 72;
  const [x1, y1, x2, y2] = rect;
  let ink = 0;
  for (let y = Math.ceil((PAGE_HEIGHT - y2) * s); y < Math.floor((PAGE_HEIGHT - y1) * s) && y < height; y++) {
    for (let x = Math.ceil(x1 * s); x < Math.floor(x2 * s) && x < width; x++) {
      const i = (y * width + x) * 3;
      if (rgb[i]! < 230 || rgb[i + 1]! < 230 || rgb[i + 2]! < 230) ink++;
    }
  }
  return ink;
}

function expectRect(actual: Rect, expected: Rect): void {
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 2));
}

beforeAll(async () => {
  const pki = await loadOrCreateTestPki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-sign-visible-'));
  await writeTestPki(pki, join(dir, 'pki'), { password: PASSWORD });
  personal = ['--p12', join(dir, 'pki', 'personal.p12'), '--password-env', 'P12_PW'];
  organisation = ['--p12', join(dir, 'pki', 'organisation.p12'), '--password-env', 'P12_PW'];
});

describe('kyso sign: visible signatures', () => {
  const RECT: Rect = [300, 80, 550, 180];

  it('without the options the signature stays invisible: a zero /Rect and a white page there', () => {
    const file = out('plain');
    const r = kyso(['sign', SAMPLE, '-o', file, ...personal]);
    expect(r.status, r.stderr).toBe(0);
    expect(pdfsig(file)[0]?.signatureValid).toBe(true);
    expectRect(widget(file, 'Signature1').rect, [0, 0, 0, 0]);
    expect(inkIn(file, RECT)).toBe(0);
  });

  it('--page 1 --rect --image --layout personal: a valid signature drawn in that rectangle of page 1', () => {
    const file = out('personal');
    const r = kyso(['sign', SAMPLE, '-o', file, ...personal, '--page', '1', '--rect', RECT.join(','), '--image', SIGNATURE_PNG, '--layout', 'personal']);
    expect(r.status, r.stderr).toBe(0);
    const [sig] = pdfsig(file);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    const w = widget(file, 'Signature1');
    expect(w.page).toBe(1);
    expectRect(w.rect, RECT);
    expect(w.hasAppearance).toBe(true);
    expect(inkIn(file, RECT)).toBeGreaterThan(200);
  });

  it('--image alone picks the personal layout', () => {
    const file = out('personal-default');
    const r = kyso(['sign', SAMPLE, '-o', file, ...personal, '--rect', RECT.join(','), '--image', SIGNATURE_PNG]);
    expect(r.status, r.stderr).toBe(0);
    expectRect(widget(file, 'Signature1').rect, RECT);
    expect(inkIn(file, RECT)).toBeGreaterThan(200);
  });

  it('--layout seal --image seal.png: the seal in its rectangle', () => {
    const seal: Rect = [80, 80, 230, 230];
    const file = out('seal');
    const r = kyso(['sign', SAMPLE, '-o', file, ...organisation, '--page', '1', '--rect', seal.join(','), '--layout', 'seal', '--image', SEAL_PNG]);
    expect(r.status, r.stderr).toBe(0);
    expect(pdfsig(file)[0]?.signatureValid).toBe(true);
    const w = widget(file, 'Signature1');
    expect(w.page).toBe(1);
    expectRect(w.rect, seal);
    expect(w.hasAppearance).toBe(true);
    expect(inkIn(file, seal)).toBeGreaterThan(200);
    expect(inkIn(SAMPLE, seal)).toBe(0);
  });

  it('--layout seal without --rect goes over the last visible signature, both signatures valid', () => {
    const first = out('officer');
    expect(kyso(['sign', SAMPLE, '-o', first, ...personal, '--rect', RECT.join(','), '--image', SIGNATURE_PNG]).status).toBe(0);
    const sealed = out('sealed');
    const r = kyso(['sign', first, '-o', sealed, ...organisation, '--layout', 'seal', '--image', SEAL_PNG]);
    expect(r.status, r.stderr).toBe(0);
    const sigs = pdfsig(sealed);
    expect(sigs.map((s) => s.signatureValid)).toEqual([true, true]);
    const w = widget(sealed, 'Signature2');
    expect(w.page).toBe(1);
    // The seal's right edge at a third of the signature's width, centred on it vertically.
    expect(w.rect[2]).toBeCloseTo(RECT[0] + (RECT[2] - RECT[0]) / 3, 1);
    expect((w.rect[1] + w.rect[3]) / 2).toBeCloseTo((RECT[1] + RECT[3]) / 2, 1);
  });

  it('--layout seal without --rect on a document with no visible signature: CLI_USAGE, nothing written', () => {
    const file = out('seal-nowhere');
    const r = kyso(['sign', SAMPLE, '-o', file, ...organisation, '--layout', 'seal', '--image', SEAL_PNG]);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/CLI_USAGE: .*no visible signature/);
    expect(existsSync(file)).toBe(false);
  });

  it('--layout copy: the copy stamp in the top-right corner of page 1', () => {
    const file = out('copy');
    const r = kyso(['sign', SAMPLE, '-o', file, ...organisation, '--layout', 'copy']);
    expect(r.status, r.stderr).toBe(0);
    const w = widget(file, 'Signature1');
    expect(w.page).toBe(1);
    expect(w.rect[2]).toBeCloseTo(595.28 - 20, 1);
    expect(w.rect[3]).toBeCloseTo(PAGE_HEIGHT - 20, 1);
    expect(inkIn(file, w.rect)).toBeGreaterThan(20);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('SAO Y');
  });

  // pdfjs-dist is an optional peer of @kyso/core, loaded from beside it.
  const hasPdfJs = (() => {
    try {
      createRequire(resolve(__dirname, '../../core/package.json')).resolve('pdfjs-dist/package.json');
      return true;
    } catch {
      return false;
    }
  })();

  it(`--keyword places the text layout below the word${hasPdfJs ? '' : ' (pdfjs-dist absent: TOOL_NOT_FOUND)'}`, () => {
    const file = out('keyword');
    const r = kyso(['sign', SAMPLE, '-o', file, ...personal, '--keyword', 'Kinh']);
    if (!hasPdfJs) {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/TOOL_NOT_FOUND/);
      expect(existsSync(file)).toBe(false);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    expect(pdfsig(file)[0]?.signatureValid).toBe(true);
    // Where poppler sees the word (top-left origin, points).
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', SAMPLE, '-'], { encoding: 'utf8' });
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Kinh<\/word>/.exec(bbox);
    expect(m, 'pdftotext finds "Kinh"').not.toBeNull();
    const [xMin, , xMax, yMax] = m!.slice(1).map(Number) as [number, number, number, number];
    const w = widget(file, 'Signature1');
    expect(w.page).toBe(1);
    expect(w.hasAppearance).toBe(true);
    // Left-aligned with the word (the library spreads a text run's width evenly over its characters: a few points off), its top just under the word's bottom.
    expect(w.rect[0]).toBeGreaterThan(xMin - 6);
    expect(w.rect[0]).toBeLessThan(xMax);
    expect(Math.abs(w.rect[3] - (PAGE_HEIGHT - yMax))).toBeLessThan(8);
    expect(w.rect[3]).toBeLessThan(PAGE_HEIGHT - yMax + 2);
    expect(inkIn(file, w.rect)).toBeGreaterThan(20);
  });

  it('--keyword with a word that is not there: APPEARANCE_KEYWORD_NOT_FOUND, nothing written', () => {
    if (!hasPdfJs) return;
    const file = out('keyword-missing');
    const r = kyso(['sign', SAMPLE, '-o', file, ...personal, '--keyword', 'không-có-chữ-này']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/APPEARANCE_KEYWORD_NOT_FOUND/);
    expect(existsSync(file)).toBe(false);
  });

  it.each<[string, string[], number, RegExp]>([
    ['--rect with three numbers', ['--rect', '1,2,3'], 64, /CLI_USAGE: --rect "1,2,3": give four numbers/],
    ['--rect not a number', ['--rect', '1,2,x,4'], 64, /CLI_USAGE: --rect/],
    ['--rect upside down', ['--rect', '10,10,5,5'], 64, /CLI_USAGE: --rect "10,10,5,5": x2 must be greater/],
    ['--page 0', ['--page', '0', '--rect', '10,10,100,100'], 64, /CLI_USAGE: --page "0"/],
    ['--page not a number', ['--page', '1.5', '--rect', '10,10,100,100'], 64, /CLI_USAGE: --page/],
    ['--page beyond the document', ['--page', '99', '--rect', '10,10,100,100'], 1, /SIGN_OPTIONS_INVALID: .*page 99 does not exist/],
    ['--keyword with --rect', ['--keyword', 'Kinh', '--rect', '10,10,100,100'], 64, /CLI_USAGE: --keyword and --rect/],
    ['an unknown --layout', ['--layout', 'stamp', '--rect', '10,10,100,100'], 64, /CLI_USAGE: --layout "stamp"/],
    ['--layout personal without --image', ['--layout', 'personal', '--rect', '10,10,100,100'], 64, /CLI_USAGE: --layout personal .*--image/],
    ['--image with the text layout', ['--layout', 'text', '--image', SIGNATURE_PNG, '--rect', '10,10,100,100'], 64, /CLI_USAGE: --layout text draws no image/],
    ['--page without a place on it', ['--page', '1'], 64, /CLI_USAGE: --layout text: say where/],
    ['an --image that is no image', ['--image', SAMPLE, '--rect', '10,10,100,100'], 1, /CLI_INPUT_INVALID: --image .* is not a PNG or JPEG/],
  ])('refuses %s, writing nothing', (_name, args, status, message) => {
    const file = out('bad');
    const r = kyso(['sign', SAMPLE, '-o', file, ...personal, ...args]);
    expect(r.status, r.stderr).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('signs a folder with the same placement on each file', () => {
    const input = join(dir, 'folder-in');
    const output = join(dir, 'folder-out');
    mkdirSync(input);
    copyFileSync(SAMPLE, join(input, 'a.pdf'));
    copyFileSync(SAMPLE, join(input, 'b.pdf'));
    const r = kyso(['sign', input, '-o', output, ...personal, '--rect', RECT.join(','), '--image', SIGNATURE_PNG]);
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['a.pdf', 'b.pdf']) {
      const file = join(output, name);
      expect(pdfsig(file)[0]?.signatureValid).toBe(true);
      expectRect(widget(file, 'Signature1').rect, RECT);
      expect(inkIn(file, RECT)).toBeGreaterThan(200);
    }
  });

  it('tells the options in both languages in --help', () => {
    const r = kyso(['sign', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--page <n>', '--rect <x1,y1,x2,y2>', '--keyword <text>', '--image <png|jpeg>', '--layout <name>']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('khung chữ ký hiển thị');
  });
});
