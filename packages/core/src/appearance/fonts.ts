/**
 * Liberation Serif (SIL OFL 1.1, metric-compatible with Times New Roman), the
 * font of every appearance and statement kyso draws. The TTFs ship in the
 * package's assets/fonts (with their licence) and are found by walking up from
 * this module: src/appearance in the sources, dist/ in the built ESM and CJS.
 * A caller that bundles kyso elsewhere passes the font bytes itself or sets
 * KYSO_FONTS_DIR.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KysoError } from '../errors.js';

export type FontStyle = 'regular' | 'bold' | 'italic';

/** TrueType bytes for each style; any style left out falls back to the bundled Liberation Serif. */
export type FontSet = Partial<Record<FontStyle, Uint8Array>>;

const FILES: Record<FontStyle, string> = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
  italic: 'LiberationSerif-Italic.ttf',
};

const cache = new Map<FontStyle, Uint8Array>();
let dirCache: string | undefined;

/** The directory of this module, in ESM (import.meta.url) and in the CJS build (__dirname). */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/** Where the bundled fonts live: $KYSO_FONTS_DIR, else the first assets/fonts above this module. */
export function bundledFontsDir(): string {
  if (dirCache) return dirCache;
  const fromEnv = process.env.KYSO_FONTS_DIR;
  if (fromEnv && existsSync(join(fromEnv, FILES.regular))) return (dirCache = fromEnv);
  let dir = moduleDir();
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'assets', 'fonts');
    if (existsSync(join(candidate, FILES.regular))) return (dirCache = candidate);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new KysoError('IO_ERROR', 'The bundled Liberation Serif fonts (assets/fonts) were not found; set KYSO_FONTS_DIR or pass the font bytes.', {
    vi: 'Không tìm thấy phông chữ Liberation Serif đi kèm (assets/fonts); hãy đặt KYSO_FONTS_DIR hoặc truyền dữ liệu phông chữ.',
  });
}

/** The TrueType bytes for a style: the caller's, else the bundled Liberation Serif (read once). */
export function fontBytes(style: FontStyle, fonts?: FontSet): Uint8Array {
  const given = fonts?.[style];
  if (given) return given;
  let b = cache.get(style);
  if (!b) {
    b = readFileSync(join(bundledFontsDir(), FILES[style]));
    cache.set(style, b);
  }
  return b;
}
