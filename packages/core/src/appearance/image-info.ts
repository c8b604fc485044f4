/**
 * The pixel size and physical resolution of PNG and JPEG images, read from
 * their headers (PNG IHDR/pHYs, JPEG JFIF density and SOF), so a seal can be
 * drawn at its real size.
 */
import { KysoError } from '../errors.js';

export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** Horizontal and vertical resolution in dots per inch, when the file says. */
  dpiX?: number;
  dpiY?: number;
}

function bad(msg: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', `Appearance image: ${msg}.`, { vi: `Ảnh của hình hiển thị chữ ký không hợp lệ: ${msg}.` });
}

export function imageInfo(bytes: Uint8Array): ImageInfo {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return pngInfo(b);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegInfo(b);
  throw bad('only PNG and JPEG are supported');
}

function pngInfo(b: Buffer): ImageInfo {
  const info: ImageInfo = { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  let at = 8;
  while (at + 8 <= b.length) {
    const len = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (type === 'pHYs' && len === 9 && at + 17 <= b.length && b[at + 16] === 1) {
      // Pixels per metre.
      info.dpiX = (b.readUInt32BE(at + 8) * 0.0254);
      info.dpiY = (b.readUInt32BE(at + 12) * 0.0254);
    }
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + len;
  }
  if (!(info.width > 0 && info.height > 0)) throw bad('empty PNG');
  return info;
}

function jpegInfo(b: Buffer): ImageInfo {
  let at = 2;
  let dpiX: number | undefined;
  let dpiY: number | undefined;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) throw bad('corrupt JPEG');
    const marker = b[at + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    const len = b.readUInt16BE(at + 2);
    if (marker === 0xe0 && b.toString('latin1', at + 4, at + 9) === 'JFIF\0' && at + 16 <= b.length) {
      const units = b[at + 11];
      const x = b.readUInt16BE(at + 12);
      const y = b.readUInt16BE(at + 14);
      if (units === 1) [dpiX, dpiY] = [x, y];
      else if (units === 2) [dpiX, dpiY] = [x * 2.54, y * 2.54];
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const info: ImageInfo = { format: 'jpeg', height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
      if (dpiX && dpiY) Object.assign(info, { dpiX, dpiY });
      if (!(info.width > 0 && info.height > 0)) throw bad('empty JPEG');
      return info;
    }
    at += 2 + len;
  }
  throw bad('JPEG without a frame header');
}
