import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** Where the VGCA-compatible endpoints may download from and upload to, and how much. */
export interface TransferLimits {
  /** host[:port] values allowed (exact match, lower case). Anything else is refused: no server-side request forgery. */
  allowHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  /** The resolver (tests stand in a rebinding one); default node's, all addresses. */
  lookup?: LookupFn;
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

/**
 * The address a request to `url` connects to: the name is resolved once, per
 * request, and every address it gives is checked after resolution. A name
 * on the allow-list that resolves to a loopback, link-local (cloud metadata,
 * 169.254.169.254), unspecified or multicast address is refused: that is
 * what a DNS-rebinding attacker makes an allowed name point to. An address
 * written in the allow-list itself (`127.0.0.1:9000`) is taken as meant.
 * The connection then goes to the checked address, never to a second lookup
 * (SNI and the certificate check still use the name).
 */
export async function resolveAllowed(url: URL, lookup: LookupFn = defaultLookup): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  if (literal) return { address: host, family: literal as 4 | 6 };
  let found: { address: string; family: number }[];
  try {
    found = await lookup(host);
  } catch (e) {
    throw new TransferError(2, `Cannot resolve ${url.host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, `Không phân giải được ${url.host}.`);
  }
  if (found.length === 0) throw new TransferError(2, `Cannot resolve ${url.host}.`, `Không phân giải được ${url.host}.`);
  for (const a of found) {
    if (forbiddenAddress(a.address)) {
      throw new TransferError(5, `${url.host} resolves to ${a.address}, an address a name on the allow-list may not lead to.`, `${url.host} phân giải tới ${a.address}, địa chỉ không được phép.`);
    }
  }
  const first = found[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

export type LookupFn = (host: string) => Promise<{ address: string; family: number }[]>;
const defaultLookup: LookupFn = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Loopback, link-local, unspecified, multicast (v4, v6 and v4-mapped v6). */
export function forbiddenAddress(address: string): boolean {
  let a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1]!;
  if (isIP(a) === 4) {
    const [o1, o2] = a.split('.').map(Number) as [number, number];
    return o1 === 127 || o1 === 0 || (o1 === 169 && o2 === 254) || o1 >= 224;
  }
  return a === '::' || a === '::1' || /^fe[89ab]/.test(a) || a.startsWith('ff');
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP exchange with the pinned address: no redirect is followed (a 3xx
 * is an answer like any other non-2xx), the deadline covers the whole
 * exchange, the body is capped while it is read.
 */
async function exchange(url: URL, limits: TransferLimits, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Buffer; cap: number }, what: 'download' | 'upload'): Promise<Answer> {
  const pinned = await resolveAllowed(url, limits.lookup);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve, reject) => {
    const fail = (e: Error) => {
      const timeout = (e as NodeJS.ErrnoException).code === 'ETIMEDOUT_KYSO';
      reject(
        e instanceof TransferError
          ? e
          : what === 'download'
            ? new TransferError(2, `Cannot download ${url.href}: ${timeout ? 'no answer in time' : e.message}.`, `Không tải được ${url.href}.`)
            : new TransferError(4, `Cannot upload to ${url.href}: ${timeout ? 'no answer in time' : e.message}.`, `Không gửi được tệp đã ký tới ${url.href}.`),
      );
    };
    const req = request(url, {
      method: init.method,
      headers: { ...init.headers, ...(init.body ? { 'content-length': String(init.body.length) } : {}) },
      // The address checked above, whatever the resolver would say now.
      lookup: ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
        if (options?.all) cb(null, [{ address: pinned.address, family: pinned.family }]);
        else cb(null, pinned.address, pinned.family);
      }) as never,
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT_KYSO' })), limits.timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > init.cap) {
        clearTimeout(timer);
        res.destroy();
        return reject(new TransferError(2, `${url.href} is larger than ${init.cap} bytes.`, `Tệp ${url.href} lớn hơn ${init.cap} byte.`));
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        total += c.length;
        if (total > init.cap) {
          clearTimeout(timer);
          res.destroy();
          req.destroy();
          return reject(new TransferError(2, `${url.href} is larger than ${init.cap} bytes.`, `Tệp ${url.href} lớn hơn ${init.cap} byte.`));
        }
        chunks.push(c);
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        fail(e);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(init.body);
  });
}

/** GET with a deadline, no redirects, and a size cap enforced while reading. */
export async function download(url: URL, limits: TransferLimits, headers: Record<string, string> = {}): Promise<Buffer> {
  const res = await exchange(url, limits, { method: 'GET', headers, cap: limits.maxBytes }, 'download');
  if (res.status !== 200) throw new TransferError(2, `Downloading ${url.href} answered HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}.`, `Tải ${url.href} nhận mã HTTP ${res.status}.`);
  return res.body;
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
  const res = await exchange(url, limits, { method: 'POST', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(parts), cap: 1 << 20 }, 'upload');
  if (res.status < 200 || res.status >= 300) throw new TransferError(4, `Uploading to ${url.href} answered HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}.`, `Gửi tệp tới ${url.href} nhận mã HTTP ${res.status}.`);
  return res.body.toString('utf8');
}
