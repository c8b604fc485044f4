import { randomBytes } from 'node:crypto';

/** Where the VGCA-compatible endpoints may download from and upload to, and how much. */
export interface TransferLimits {
  /** host[:port] values allowed (exact match, lower case). Anything else is refused: no server-side request forgery. */
  allowHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

export class TransferError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly messageVi: string,
  ) {
    super(message);
  }
}

/** Parses and checks a URL against the allow-list (http/https only). */
export function allowedUrl(raw: string, limits: TransferLimits, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TransferError(1, `${what} is not a URL.`, `${what} không phải là một địa chỉ URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TransferError(5, `${what} must be http or https.`, `${what} phải dùng http hoặc https.`);
  if (url.username || url.password) throw new TransferError(5, `${what} may not carry credentials.`, `${what} không được chứa thông tin đăng nhập.`);
  if (!limits.allowHosts.includes(url.host.toLowerCase())) {
    throw new TransferError(5, `${what} points to ${url.host}, which is not on the allow-list.`, `${what} trỏ tới ${url.host}, không nằm trong danh sách được phép.`);
  }
  return url;
}

/** GET with a deadline, no redirects, and a size cap enforced while reading. */
export async function download(url: URL, limits: TransferLimits, headers: Record<string, string> = {}): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (e) {
    throw new TransferError(2, `Cannot download ${url.href}: ${(e as Error).name === 'TimeoutError' ? 'no answer in time' : (e as Error).message}.`, `Không tải được ${url.href}.`);
  }
  if (res.status !== 200) throw new TransferError(2, `Downloading ${url.href} answered HTTP ${res.status}.`, `Tải ${url.href} nhận mã HTTP ${res.status}.`);
  return readCapped(res, limits.maxBytes, url);
}

async function readCapped(res: Response, max: number, url: URL): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) throw new TransferError(2, `${url.href} is larger than ${max} bytes.`, `Tệp ${url.href} lớn hơn ${max} byte.`);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new TransferError(2, `${url.href} is larger than ${max} bytes.`, `Tệp ${url.href} lớn hơn ${max} byte.`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** POSTs the signed file as multipart/form-data field `uploadfile`, as the desktop plugin does. */
export async function uploadSigned(
  url: URL,
  limits: TransferLimits,
  file: { name: string; bytes: Uint8Array },
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<string> {
  const boundary = `----kyso${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, 'utf8'));
  }
  const safeName = file.name.replace(/["\r\n]/g, '_');
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="${safeName}"\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8'));
  parts.push(Buffer.from(file.bytes), Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      body: Buffer.concat(parts),
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (e) {
    throw new TransferError(4, `Cannot upload to ${url.href}: ${(e as Error).name === 'TimeoutError' ? 'no answer in time' : (e as Error).message}.`, `Không gửi được tệp đã ký tới ${url.href}.`);
  }
  const text = (await readCapped(res, 1 << 20, url)).toString('utf8');
  if (res.status < 200 || res.status >= 300) throw new TransferError(4, `Uploading to ${url.href} answered HTTP ${res.status}.`, `Gửi tệp tới ${url.href} nhận mã HTTP ${res.status}.`);
  return text;
}
