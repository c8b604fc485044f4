import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { KysoError } from '../errors.js';

/**
 * A signing service that answers only the update (`return=update` on kyso's
 * /v1/sign) sends the bytes to append after the original and the SHA-256 of
 * the whole signed file. These join the two and check that the result is
 * the file the service signed: a different original (another version of the
 * document on the client's side) or an answer cut short is refused, never
 * written as a "signed" file.
 */

const HEX = /^[0-9a-f]{64}$/i;

function checkDigest(expected: string): string {
  if (!HEX.test(expected)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'The expected SHA-256 must be 64 hexadecimal digits (the X-Kyso-Signed-Sha256 header).', {
      vi: 'SHA-256 mong đợi phải gồm 64 chữ số thập lục phân (tiêu đề X-Kyso-Signed-Sha256).',
    });
  }
  return expected.toLowerCase();
}

function mismatch(got: string, expected: string): KysoError {
  return new KysoError(
    'SIGN_UPDATE_MISMATCH',
    'The original and the update do not make the file the service signed (their SHA-256 differs): the original is not the one that was sent, or the answer was cut short. Send the original again, or ask for the whole signed file.',
    {
      vi: 'Bản gốc và phần cập nhật không tạo thành đúng tệp mà dịch vụ đã ký (SHA-256 khác nhau): bản gốc không phải tệp đã gửi, hoặc câu trả lời bị cắt ngắn. Hãy gửi lại bản gốc, hoặc yêu cầu nhận cả tệp đã ký.',
      details: { sha256: got, expected },
    },
  );
}

/** The signed file: `original` then `update`, checked against the service's SHA-256 of it (SIGN_UPDATE_MISMATCH otherwise). */
export function appendSignedUpdate(original: Uint8Array, update: Uint8Array, expectedSha256: string): Uint8Array {
  const expected = checkDigest(expectedSha256);
  const got = createHash('sha256').update(original).update(update).digest('hex');
  if (got !== expected) throw mismatch(got, expected);
  const out = new Uint8Array(original.length + update.length);
  out.set(original, 0);
  out.set(update, original.length);
  return out;
}

/**
 * The same for files: `input` (the original, streamed, never held whole in
 * memory) and `update` are written to `output`, which appears only once the
 * SHA-256 matches; nothing is left behind otherwise.
 */
export async function appendSignedUpdateToFile(input: string, update: Uint8Array, options: { sha256: string; output: string }): Promise<void> {
  const expected = checkDigest(options.sha256);
  const tmp = `${options.output}.kyso-${process.pid}-${Date.now()}.tmp`;
  const hash = createHash('sha256');
  let handle;
  try {
    handle = await open(tmp, 'w');
    for await (const chunk of createReadStream(input, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      await handle.write(chunk as Buffer);
    }
    hash.update(update);
    await handle.write(update);
    await handle.close();
    handle = undefined;
    const got = hash.digest('hex');
    if (got !== expected) throw mismatch(got, expected);
    await rename(tmp, options.output);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if (e instanceof KysoError) throw e;
    throw new KysoError('IO_ERROR', `Cannot join ${input} and the update into ${options.output}: ${(e as Error).message}`, { vi: `Không ghép được ${input} và phần cập nhật thành ${options.output}.`, cause: e });
  }
}
