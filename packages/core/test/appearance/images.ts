/**
 * Test images written without pdf-lib: a tiny PNG encoder (node zlib) and
 * two drawings, a blue handwritten-looking signature and a red round seal,
 * both on transparent backgrounds.
 */
import { deflateSync, inflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** RGBA pixels (row-major, 4 bytes each) to PNG; `dpi` writes a pHYs chunk. */
export function encodePng(width: number, height: number, rgba: Uint8Array, dpi?: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (dpi) {
    const phys = Buffer.alloc(9);
    const ppm = Math.round(dpi / 0.0254);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1;
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function canvas(w: number, h: number) {
  const px = new Uint8Array(w * h * 4);
  const dot = (cx: number, cy: number, r: number, rgb: [number, number, number]) => {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++)
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if (x < 0 || y < 0 || x >= w || y >= h || (x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
        const i = (y * w + x) * 4;
        px[i] = rgb[0];
        px[i + 1] = rgb[1];
        px[i + 2] = rgb[2];
        px[i + 3] = 255;
      }
  };
  return { px, dot };
}

/** A blue scribble, 400 × 160 px, transparent elsewhere. */
export function signaturePng(): Buffer {
  const w = 400;
  const h = 160;
  const { px, dot } = canvas(w, h);
  const blue: [number, number, number] = [0, 40, 200];
  for (let t = 0; t <= 1; t += 0.0005) {
    const x = 20 + t * 360;
    const y = 80 + 45 * Math.sin(t * Math.PI * 5) * (1 - 0.4 * t) + 15 * Math.cos(t * Math.PI * 17);
    dot(x, y, 4, blue);
  }
  for (let x = 60; x < 340; x++) dot(x, 135 - (x - 60) * 0.05, 2.5, blue); // underline
  return encodePng(w, h, px);
}

/** A red round seal: 300 px wide at 200 dpi, i.e. 38.1 mm. */
export function sealPng(): Buffer {
  const s = 300;
  const { px, dot } = canvas(s, s);
  const red: [number, number, number] = [220, 0, 0];
  const c = s / 2;
  for (let a = 0; a < Math.PI * 2; a += 0.002) {
    dot(c + 140 * Math.cos(a), c + 140 * Math.sin(a), 6, red);
    dot(c + 105 * Math.cos(a), c + 105 * Math.sin(a), 3, red);
  }
  // A five-pointed star in the middle.
  for (let k = 0; k < 5; k++) {
    const a1 = -Math.PI / 2 + (k * 2 * Math.PI) / 5;
    const a2 = -Math.PI / 2 + (((k + 2) % 5) * 2 * Math.PI) / 5;
    for (let t = 0; t <= 1; t += 0.002) {
      const x = c + 60 * ((1 - t) * Math.cos(a1) + t * Math.cos(a2));
      const y = c + 60 * ((1 - t) * Math.sin(a1) + t * Math.sin(a2));
      dot(x, y, 5, red);
    }
  }
  return encodePng(s, s, px, 200);
}

/** Decodes an 8-bit RGB or RGBA PNG (as pdftoppm writes) to RGB pixels. */
export function decodePng(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const depth = png[24];
  const type = png[25];
  if (depth !== 8 || (type !== 2 && type !== 6) || png[28] !== 0) throw new Error(`unsupported PNG (depth ${depth}, type ${type})`);
  const bpp = type === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * bpp);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp]! : 0;
      let v = line[i]!;
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + i] = v & 0xff;
    }
  }
  if (bpp === 3) return { width, height, rgb: out };
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < out.length; i += 4, j += 3) [rgb[j], rgb[j + 1], rgb[j + 2]] = [out[i]!, out[i + 1]!, out[i + 2]!];
  return { width, height, rgb };
}
