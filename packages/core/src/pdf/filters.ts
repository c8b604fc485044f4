import { inflateSync, constants as zc } from 'node:zlib';
import { KysoError } from '../errors.js';
import { PdfDict, PdfName, PdfStream, type PdfObject } from './objects.js';

/** Guards against decompression bombs in xref and object streams. */
export const MAX_DECODED_STREAM = 256 * 1024 * 1024;

/**
 * Decodes a stream's data. Only what the revision engine itself needs:
 * FlateDecode (with PNG/TIFF predictors) and no filter. Content streams and
 * images are never decoded here. A /Crypt filter is passed over: the reader
 * of an encrypted file has already decrypted the data with the crypt filter
 * it names.
 */
export function decodeStream(stream: PdfStream, maxOutput = MAX_DECODED_STREAM): Uint8Array {
  const filters = asList(stream.dict.get('Filter'));
  const parms = asList(stream.dict.get('DecodeParms'));
  let data: Uint8Array = stream.raw;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw unsupported('a filter that is not a name');
    const p = parms[i];
    switch (f.value) {
      case 'FlateDecode':
      case 'Fl':
        data = inflate(data, maxOutput);
        if (p instanceof PdfDict) data = unpredict(data, p);
        break;
      case 'Crypt':
        if (i !== 0) throw unsupported('a /Crypt filter that is not the first filter');
        break;
      default:
        throw unsupported(`the /${f.value} filter`);
    }
  });
  return data;
}

function inflate(data: Uint8Array, maxOutput: number): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: maxOutput, finishFlush: zc.Z_SYNC_FLUSH });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new KysoError('PDF_TOO_LARGE', 'A compressed stream in the PDF expands beyond the allowed size.', {
        vi: 'Một luồng nén trong tệp PDF giải nén ra quá kích thước cho phép.',
        cause: e,
      });
    }
    throw new KysoError('PDF_MALFORMED', 'A compressed stream in the PDF is corrupt.', {
      vi: 'Một luồng nén trong tệp PDF bị hỏng.',
      cause: e,
    });
  }
}

function unpredict(data: Uint8Array, parms: PdfDict): Uint8Array {
  const predictor = parms.getNumber('Predictor') ?? 1;
  if (predictor === 1) return data;
  const colors = parms.getNumber('Colors') ?? 1;
  const bpc = parms.getNumber('BitsPerComponent') ?? 8;
  const columns = parms.getNumber('Columns') ?? 1;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (!(rowLen > 0 && rowLen < 1 << 20)) throw unsupported('predictor parameters out of range');
  if (predictor === 2) {
    if (bpc !== 8) throw unsupported('TIFF predictor with other than 8 bits per component');
    const out = Uint8Array.from(data);
    for (let r = 0; r + rowLen <= out.length; r += rowLen) {
      for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i]! + out[r + i - bpp]!) & 0xff;
    }
    return out;
  }
  // PNG predictors: each row starts with its filter type byte.
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const inOff = r * (rowLen + 1);
    const type = data[inOff]!;
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const x = data[inOff + 1 + i]!;
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new KysoError('PDF_MALFORMED', `Unknown PNG predictor row type ${type}.`, { vi: `Kiểu bộ dự đoán PNG không hợp lệ: ${type}.` });
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

function asList(o: PdfObject | undefined): PdfObject[] {
  if (o === undefined || o === null) return [];
  return Array.isArray(o) ? o : [o];
}

function unsupported(what: string): KysoError {
  return new KysoError('PDF_UNSUPPORTED', `This PDF uses ${what}, which kyso cannot read in a cross-reference or object stream.`, {
    vi: `Tệp PDF dùng ${what} mà kyso chưa đọc được trong luồng tham chiếu chéo hoặc luồng đối tượng.`,
  });
}
