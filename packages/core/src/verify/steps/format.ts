import { locateDictValues, type LocatedValue, type PdfRef, type PdfReader } from '../../pdf/index.js';
import type { SignatureReport } from '../report.js';
import type { SignatureFieldEntry } from '../signature-fields.js';
import { RESAVED, type SignatureFindings } from './findings.js';

const SUBFILTERS = ['ETSI.CAdES.detached', 'adbe.pkcs7.detached', 'adbe.pkcs7.sha1', 'ETSI.RFC3161'];

/** What the format step learns of a signature dictionary. */
export interface SignatureFormat {
  kind: SignatureReport['kind'];
  subFilter: string | null;
  /** The /ByteRange when it is an array of non-negative integers. */
  br: number[] | null;
  /** The signed bytes, as the byte ranges name them; null when they are not all in this file. */
  chunks: Uint8Array[] | null;
  /** Bytes [0, signedLength) are what the signature covers. */
  signedLength: number | null;
}

/**
 * Format: the signature dictionary is indirect and in a revision, its
 * /SubFilter known, its /ByteRange four integers that start at 0, do not
 * overlap, stay in the file and leave exactly its /Contents string unsigned.
 * A field a later update removed is said here too (the signature is still
 * checked; the removal is judged with the changes after signing).
 */
export function checkFormat(field: SignatureFieldEntry, pdf: Uint8Array, reader: PdfReader, findings: SignatureFindings): SignatureFormat {
  const sig = field.sig;
  const subFilter = sig?.getName('SubFilter') ?? null;
  const kind: SignatureReport['kind'] = subFilter === 'ETSI.RFC3161' || sig?.getName('Type') === 'DocTimeStamp' ? 'timestamp' : 'signature';

  if (!field.sigRef) findings.malformed('SIGNATURE_NOT_INDIRECT', 'The signature value is not an indirect signature dictionary.', 'Giá trị chữ ký không phải là một từ điển chữ ký gián tiếp.');
  else if (!sig) findings.unreadable(`the signature dictionary (object ${field.sigRef.num}) is missing or is not a dictionary`, `từ điển chữ ký (đối tượng ${field.sigRef.num}) không tồn tại hoặc không phải là từ điển`);
  if (field.unreachable) {
    // Found, never trusted: no revision of the document holds it.
    findings.malformed(
      'SIGNATURE_OUTSIDE_REVISIONS',
      'This signature was found in bytes after the end of the last complete revision of the file, where no readable signature field refers to it: the file was cut short or damaged after signing.',
      'Chữ ký này nằm trong phần dữ liệu sau phiên bản hoàn chỉnh cuối cùng của tệp, không trường chữ ký nào đọc được trỏ tới nó: tệp đã bị cắt cụt hoặc hư hỏng sau khi ký.',
    );
  }
  if (field.removedLater) {
    findings.add(
      'SIGNATURE_FIELD_REMOVED',
      'This signature\'s field is no longer in the current document: a later update replaced the form, the catalog or the field, so a viewer no longer shows this signature. See the changes after signing.',
      'Trường chứa chữ ký này không còn trong tài liệu hiện tại: một bản cập nhật sau đã thay biểu mẫu, danh mục gốc hoặc chính trường đó, nên trình xem không còn hiển thị chữ ký này. Xem các thay đổi sau khi ký.',
    );
  }
  if (subFilter && !SUBFILTERS.includes(subFilter)) {
    findings.malformed('UNKNOWN_SUBFILTER', `Unknown /SubFilter /${subFilter}.`, `/SubFilter /${subFilter} không được hỗ trợ.`);
  }
  const outOfFile = (end: number): void =>
    findings.malformed(
      'BYTERANGE_OUT_OF_FILE',
      `The signed byte ranges end at byte ${end}, past the end of this ${pdf.length}-byte file: ${RESAVED.en}`,
      `Vùng dữ liệu được ký kết thúc ở byte ${end}, vượt quá cuối tệp (tệp chỉ có ${pdf.length} byte): ${RESAVED.vi}`,
    );
  const brObj = sig?.get('ByteRange');
  const br = Array.isArray(brObj) && brObj.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0) ? (brObj as number[]) : null;
  let chunks: Uint8Array[] | null = null;
  let signedLength: number | null = null;
  // Where this dictionary's values lie in the file, for the gap check.
  const located = field.salvaged?.located ?? locate(pdf, reader, field.sigRef);
  if (located && (located.has('Contents#duplicate') || located.has('ByteRange#duplicate'))) {
    findings.malformed('DUPLICATE_KEY', 'The signature dictionary repeats /Contents or /ByteRange.', 'Từ điển chữ ký lặp lại khoá /Contents hoặc /ByteRange.');
  }
  if (sig && (!br || br.length !== 4)) {
    findings.malformed('BYTE_RANGE_SHAPE', 'The /ByteRange is not four non-negative integers.', '/ByteRange không gồm đúng bốn số nguyên không âm.');
    // Still check the cryptography over whatever pairs it names.
    if (br && br.length >= 2 && br.length % 2 === 0 && br.length <= 64) {
      const pairs: Uint8Array[] = [];
      let end = 0;
      for (let k = 0; k < br.length; k += 2) {
        end = Math.max(end, br[k]! + br[k + 1]!);
        pairs.push(pdf.subarray(br[k]!, br[k]! + br[k + 1]!));
      }
      if (end <= pdf.length) chunks = pairs;
      else outOfFile(end);
      signedLength = br[br.length - 2]! + br[br.length - 1]!;
    }
  } else if (br) {
    const [a, b, c, d] = br as [number, number, number, number];
    signedLength = c + d;
    if (a !== 0) findings.malformed('BYTE_RANGE_START', 'The /ByteRange does not start at byte 0.', '/ByteRange không bắt đầu từ byte 0.');
    if (b > c) findings.malformed('BYTE_RANGE_OVERLAP', 'The two byte ranges overlap.', 'Hai vùng byte được ký chồng lên nhau.');
    // Ranges that run past the end of the file describe another file: the
    // signed one. Comparing their gap with this file's /Contents says nothing more.
    if (c + d > pdf.length || a + b > pdf.length) outOfFile(Math.max(a + b, c + d));
    else {
      chunks = [pdf.subarray(a, a + b), pdf.subarray(c, c + d)];
      // The gap must be exactly this dictionary's /Contents string.
      const contents = located?.get('Contents');
      if (!located || !contents) findings.malformed('CONTENTS_NOT_LOCATED', 'The signature dictionary cannot be located in the file.', 'Không xác định được vị trí từ điển chữ ký trong tệp.');
      else if (contents.start !== b || contents.end !== c) {
        findings.malformed(
          'CONTENTS_NOT_IN_GAP',
          `The unsigned gap [${b}, ${c}) of the /ByteRange is not the signature's /Contents string [${contents.start}, ${contents.end}): ${RESAVED.en}`,
          `Khoảng không được ký [${b}, ${c}) của /ByteRange không trùng với chuỗi /Contents của chữ ký [${contents.start}, ${contents.end}): ${RESAVED.vi}`,
        );
      }
    }
  }
  return { kind, subFilter, br, chunks, signedLength };
}

/** Where the values of the signature dictionary `ref` lie in the file, when it is a plain object. */
function locate(pdf: Uint8Array, reader: PdfReader, ref: PdfRef | null): Map<string, LocatedValue> | undefined {
  if (!ref || reader.entry(ref.num)?.type !== 1) return undefined;
  const at = reader.definitionOffset(ref.num);
  return at === undefined ? undefined : locateDictValues(pdf, at);
}
