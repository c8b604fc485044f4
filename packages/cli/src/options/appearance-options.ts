/**
 * `kyso sign`'s visible-signature options (--page, --rect, --keyword,
 * --image, --layout) as signPdf's `appearance`. None given: no appearance,
 * the signature stays invisible.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { imageInfo, type AppearancePlacement, type Rect } from '@kyso/core/appearance';
import type { Signer } from '@kyso/core/contracts';
import { isKysoError } from '@kyso/core/errors';
import { formFields, PdfDict, PdfReader, PdfRef } from '@kyso/core/pdf';
import type { SignatureAppearance } from '@kyso/core/sign';
import { describeSigner } from '@kyso/core/trust';
import { cannotRead, CliError } from '../cli-error.js';

export interface AppearanceCliOptions {
  page?: string;
  rect?: string;
  keyword?: string;
  image?: string;
  layout?: string;
}

/** The layouts `kyso sign` offers (Decree 30/2020), and the image key each takes. */
const LAYOUT_IMAGE = { personal: 'signature', seal: 'seal', copy: undefined, text: undefined } as const;
type CliLayout = keyof typeof LAYOUT_IMAGE;

/** What the options ask for, checked once before any key is opened or any file read. */
export interface AppearancePlan {
  layout: CliLayout;
  /** Zero-based. */
  page?: number;
  rect?: Rect;
  keyword?: string;
  image?: Uint8Array;
}

export function addAppearanceOptions(command: Command): Command {
  return command
    .option('--page <n>', 'trang đặt chữ ký hiển thị, từ 1 / page of the visible signature, 1-based (default 1)')
    .option('--rect <x1,y1,x2,y2>', 'khung chữ ký hiển thị, theo điểm PDF, gốc dưới-trái / visible signature box in PDF points, origin bottom-left')
    .option('--keyword <text>', 'đặt chữ ký ngay dưới dòng chữ này trong trang (cần pdfjs-dist) / place the signature below this text on the page (needs pdfjs-dist); not with --rect')
    .option('--image <png|jpeg>', 'ảnh chữ ký tay (personal) hoặc con dấu (seal) / handwritten signature (personal) or seal (seal) image')
    .option(
      '--layout <name>',
      'bố cục theo Nghị định 30/2020: personal | seal | copy | text (mặc định personal khi có --image, nếu không thì text) / Decree 30/2020 layout (default personal with --image, else text)',
    );
}

/** The plan the options describe, or undefined when none is given (an invisible signature). */
export async function appearancePlan(opts: AppearanceCliOptions): Promise<AppearancePlan | undefined> {
  if ([opts.page, opts.rect, opts.keyword, opts.image, opts.layout].every((v) => v === undefined)) return undefined;
  const layout = parseLayout(opts.layout ?? (opts.image !== undefined ? 'personal' : 'text'));
  const page = opts.page === undefined ? undefined : parsePage(opts.page);
  const rect = opts.rect === undefined ? undefined : parseRect(opts.rect);
  if (rect && opts.keyword !== undefined) {
    throw new CliError('CLI_USAGE', {
      en: '--keyword and --rect both say where the signature goes: give one',
      vi: '--keyword và --rect đều chỉ vị trí chữ ký: chỉ dùng một',
    });
  }
  const keyword = opts.keyword?.trim();
  if (keyword === '') throw new CliError('CLI_USAGE', { en: '--keyword is empty', vi: '--keyword bị rỗng' });
  const imageKey = LAYOUT_IMAGE[layout];
  if (imageKey && opts.image === undefined) {
    throw new CliError('CLI_USAGE', {
      en: `--layout ${layout} draws ${layout === 'seal' ? 'the seal' : 'the handwritten signature'}: give it with --image <png|jpeg>`,
      vi: `--layout ${layout} vẽ ${layout === 'seal' ? 'con dấu' : 'chữ ký tay'}: hãy đưa ảnh bằng --image <png|jpeg>`,
    });
  }
  if (!imageKey && opts.image !== undefined) {
    throw new CliError('CLI_USAGE', {
      en: `--layout ${layout} draws no image: use --layout personal (a signature) or seal (a seal) with --image`,
      vi: `--layout ${layout} không vẽ ảnh: dùng --layout personal (chữ ký tay) hoặc seal (con dấu) với --image`,
    });
  }
  // personal and text have no place of their own; copy has its corner, seal goes over the last visible signature.
  if ((layout === 'personal' || layout === 'text') && !rect && keyword === undefined) {
    throw new CliError('CLI_USAGE', {
      en: `--layout ${layout}: say where the signature goes with --rect <x1,y1,x2,y2> or --keyword <text>`,
      vi: `--layout ${layout}: cần chỉ vị trí chữ ký bằng --rect <x1,y1,x2,y2> hoặc --keyword <chữ>`,
    });
  }
  const image = opts.image === undefined ? undefined : await readImage(opts.image);
  return { layout, ...(page !== undefined ? { page } : {}), ...(rect ? { rect } : {}), ...(keyword !== undefined ? { keyword } : {}), ...(image ? { image } : {}) };
}

/**
 * signPdf's `appearance` for one document. A seal given neither --rect nor
 * --keyword goes over the document's last visible signature (the officer's),
 * as the library's `over` placement does.
 */
export async function appearanceFor(plan: AppearancePlan, input: string, signer: Signer, pdfPassword?: string): Promise<SignatureAppearance> {
  const placement: AppearancePlacement = {
    ...(plan.page !== undefined ? { page: plan.page } : {}),
    ...(plan.rect ? { rect: plan.rect } : {}),
    ...(plan.keyword !== undefined ? { keyword: { text: plan.keyword } } : {}),
  };
  if (plan.layout === 'seal' && !plan.rect && plan.keyword === undefined) {
    const over = await lastVisibleSignature(input, pdfPassword, plan.page);
    if (!over) {
      throw new CliError('CLI_USAGE', {
        en: `${input} has no visible signature${plan.page !== undefined ? ` on page ${plan.page + 1}` : ''} for the seal to go over: give --rect or --keyword`,
        vi: `${input} chưa có chữ ký hiển thị${plan.page !== undefined ? ` ở trang ${plan.page + 1}` : ''} để đóng dấu đè lên: hãy dùng --rect hoặc --keyword`,
      });
    }
    placement.over = over;
  }
  const key = LAYOUT_IMAGE[plan.layout];
  return {
    layout: plan.layout,
    data: {
      ...(key && plan.image ? { images: { [key]: plan.image } } : {}),
      ...(plan.layout === 'copy' ? copyData(signer) : {}),
    },
    placement,
  };
}

/** The copy stamp's lines: the copy type (SAO Y) and the agency, the certificate's organisation. */
function copyData(signer: Signer): { copyType: string; agency?: string } {
  try {
    const org = describeSigner(signer.certificate).organization;
    return { copyType: 'SAO Y', ...(org ? { agency: org } : {}) };
  } catch {
    return { copyType: 'SAO Y' };
  }
}

/** The widget rectangle of the last signature field with a visible one (on `page` if given). */
async function lastVisibleSignature(input: string, pdfPassword: string | undefined, page: number | undefined): Promise<{ page: number; rect: Rect } | undefined> {
  const bytes = await readFile(input).catch((e: unknown) => Promise.reject(cannotRead(input, e)));
  const reader = PdfReader.open(bytes, pdfPassword !== undefined ? { password: pdfPassword } : {});
  const pages = new Map(reader.pageRefs().map((r, i) => [r.key, i]));
  let found: { page: number; rect: Rect } | undefined;
  for (const field of formFields(reader)) {
    if (field.type !== 'Sig' || field.dict.get('V') === undefined) continue;
    const kids = reader.resolve(field.dict.get('Kids'));
    const widgets = Array.isArray(kids) ? kids.map((k) => reader.resolve(k)) : [field.dict];
    for (const w of widgets) {
      if (!(w instanceof PdfDict)) continue;
      const r = reader.resolve(w.get('Rect'));
      const p = w.get('P');
      if (!Array.isArray(r) || r.length !== 4) continue;
      const n = r.map((v) => reader.resolve(v));
      if (!n.every((v) => typeof v === 'number')) continue;
      const [x1, y1, x2, y2] = n as number[];
      const rect: Rect = [Math.min(x1!, x2!), Math.min(y1!, y2!), Math.max(x1!, x2!), Math.max(y1!, y2!)];
      if (rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) continue;
      const index = p instanceof PdfRef ? pages.get(p.key) : undefined;
      if (index === undefined || (page !== undefined && index !== page)) continue;
      found = { page: index, rect };
    }
  }
  return found;
}

function parseLayout(value: string): CliLayout {
  const v = value.trim().toLowerCase();
  if (v in LAYOUT_IMAGE) return v as CliLayout;
  throw new CliError('CLI_USAGE', {
    en: `--layout "${value}": use personal, seal, copy or text`,
    vi: `--layout "${value}": dùng personal, seal, copy hoặc text`,
  });
}

function parsePage(value: string): number {
  const v = value.trim();
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new CliError('CLI_USAGE', {
      en: `--page "${value}": pages are counted from 1`,
      vi: `--page "${value}": số trang tính từ 1`,
    });
  }
  return n - 1;
}

function parseRect(value: string): Rect {
  const parts = value.split(',').map((s) => s.trim());
  const n = parts.map((s) => (s === '' ? NaN : Number(s)));
  if (n.length !== 4 || !n.every(Number.isFinite)) {
    throw new CliError('CLI_USAGE', {
      en: `--rect "${value}": give four numbers x1,y1,x2,y2 (PDF points, origin bottom-left)`,
      vi: `--rect "${value}": cần bốn số x1,y1,x2,y2 (điểm PDF, gốc ở góc dưới bên trái)`,
    });
  }
  const [x1, y1, x2, y2] = n as Rect;
  if (!(x2 > x1 && y2 > y1)) {
    throw new CliError('CLI_USAGE', {
      en: `--rect "${value}": x2 must be greater than x1 and y2 greater than y1 (the lower-left corner first)`,
      vi: `--rect "${value}": x2 phải lớn hơn x1 và y2 lớn hơn y1 (góc dưới bên trái viết trước)`,
    });
  }
  return [x1, y1, x2, y2];
}

async function readImage(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path).catch((e: unknown) => Promise.reject(cannotRead(path, e)));
  try {
    imageInfo(bytes);
  } catch (e) {
    const why = isKysoError(e) ? { en: e.message, vi: e.messageVi } : { en: String(e), vi: String(e) };
    throw new CliError('CLI_INPUT_INVALID', { en: `--image ${path} is not a PNG or JPEG: ${why.en}`, vi: `--image ${path} không phải ảnh PNG hoặc JPEG: ${why.vi}` });
  }
  return bytes;
}
