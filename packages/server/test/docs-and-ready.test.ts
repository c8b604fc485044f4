/**
 * GET /docs (the API documentation page rendered from /openapi.json) and the
 * TSA check of /readyz. The page is also rendered in Debian's chromium at a
 * phone's size; its screenshot is kept in packages/server/test-results/.
 */
import { mkdirSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { buildDocsPage } from '../src/page/docs-page.js';
import { bearer, startTwoAgencies, type TwoAgencies } from './helpers.js';

const ARTEFACTS = resolve(__dirname, '../test-results');

interface OpenApiDoc {
  paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
}

let env: TwoAgencies;
beforeAll(async () => {
  env = await startTwoAgencies();
});
afterAll(async () => {
  await env?.server.close();
});

/** Every URL the markup would load or link to: attributes, CSS url() and @import. */
function references(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|action|srcset|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  for (const m of html.matchAll(/url\(\s*['"]?([^'")]*)/gi)) out.push(m[1] ?? '');
  for (const m of html.matchAll(/@import\s+['"]?([^'";\s]*)/gi)) out.push(m[1] ?? '');
  return out;
}

describe('GET /docs', () => {
  it('is UTF-8 HTML listing every path of /openapi.json, with no external reference', async () => {
    const r = await fetch(`${env.url}/docs`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    // A strict decoder: any byte sequence that is not UTF-8 throws.
    const html = new TextDecoder('utf-8', { fatal: true }).decode(await r.arrayBuffer());
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('name="viewport"');

    const doc = (await (await fetch(`${env.url}/openapi.json`)).json()) as OpenApiDoc;
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths) expect(html, p).toContain(`<code class="path">${p}</code>`);
    // Summaries with Vietnamese text arrive intact (the composed form, as the sources write them).
    expect(html).toContain('Ký một tệp PDF / sign a PDF (PAdES)');
    expect(html).toContain('Kiểm tra chữ ký số / verify the signatures of a PDF');
    expect(html).toContain('Tài liệu API · API documentation');
    expect(html).toContain('Tham số · Parameters');
    // Security, parameters with enums and defaults, request bodies, grouped error responses.
    expect(html).toMatch(/badge auth">Bearer/);
    expect(html).toMatch(/badge public">Công khai · public/);
    expect(html).toContain('<code class="name">level</code> <span class="in">query</span>');
    expect(html).toContain('<code>B-LTA</code>');
    expect(html).toMatch(/mặc định · default <code>vi<\/code>/);
    expect(html).toContain('Nội dung là tệp PDF · PDF body');
    expect(html).toContain('<code class="name">certificateChain</code>');
    expect(html).toMatch(/<span class="status err">400 · 401 · 403/);

    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
    const refs = references(html);
    expect(refs).toContain('./openapi.json');
    for (const ref of refs) expect(ref, ref).not.toMatch(/^([a-z][a-z0-9+.-]*:|\/\/)/i);
    for (const abs of html.match(/https?:\/\/[^\s"'<>)]*/g) ?? []) expect(abs.startsWith(env.url), abs).toBe(true);
  });

  it('is an ops operation itself; /docs/ serves the same page with links one level up', async () => {
    const doc = (await (await fetch(`${env.url}/openapi.json`)).json()) as OpenApiDoc;
    expect(doc.paths['/docs']?.get?.tags).toEqual(['ops']);
    expect(doc.paths['/docs/']).toBeUndefined();
    const r = await fetch(`${env.url}/docs/`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('href="../openapi.json"');
    expect(html).not.toContain('href="./openapi.json"');
  });

  it('is linked from the verification page', async () => {
    expect(await (await fetch(`${env.url}/`)).text()).toContain('<a href="docs">');
  });

  it('escapes every value it shows (the builder on a crafted document)', () => {
    const evil = '<script>alert("x")</script>';
    const html = buildDocsPage(
      {
        openapi: '3.0.3',
        info: { title: `T ${evil}`, version: '"1"', description: `Mô tả ${evil} & 'quotes'` },
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
        paths: {
          '/x/<img src=x onerror=alert(1)>': {
            post: {
              summary: `Tóm tắt ${evil}`,
              description: 'a `<b>code</b>` span',
              tags: ['<i>tag</i>'],
              security: [{ bearerAuth: [] }],
              parameters: [{ name: '"><svg onload=alert(1)>', in: 'query', required: true, description: evil, schema: { type: 'string', enum: ['<u>'], default: '"d"', pattern: '^<a>$' } }],
              requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['<k>'], properties: { '<k>': { type: 'string', description: evil } }, additionalProperties: { type: '<t>' } } } } },
              responses: { '200': { description: evil, content: { 'application/json': { schema: { type: ['string', '<null>'] } } } } },
            },
          },
        },
      },
      { root: '"><script>' },
    );
    expect(html).not.toMatch(/<(script|img|svg|b|i|u|k|t|null)[\s>]/i);
    expect(html).toContain('Tóm tắt &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Mô tả &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).toContain('<code class="path">/x/&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
    expect(html).toContain('<code class="name">&quot;&gt;&lt;svg onload=alert(1)&gt;</code>');
    expect(html).toContain('href="&quot;&gt;&lt;script&gt;openapi.json"');
    // Operation anchors are slugs, whatever the path holds.
    for (const m of html.matchAll(/id="([^"]*)"/g)) expect(m[1]).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('GET /docs in headless Chromium at a phone size', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fits a 390 px wide screen, loads nothing else, and links to /openapi.json', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));
    for (const at of ['/docs/', '/docs']) {
      const res = await page.goto(`${env.url}${at}`);
      expect(res?.status()).toBe(200);
      // Expressions as strings: the tests are type-checked without the DOM library.
      const openapiLink = await page.evaluate<string>('document.querySelector(\'a[href$="openapi.json"]\').href');
      expect(openapiLink, at).toBe(`${env.url}/openapi.json`);
    }
    const { scrollWidth, innerWidth, sections } = await page.evaluate<{ scrollWidth: number; innerWidth: number; sections: number }>(
      "({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, sections: document.querySelectorAll('section.op').length })",
    );
    expect(innerWidth).toBe(390);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth + 1);
    expect(sections).toBeGreaterThan(10);
    expect((await page.innerText('h1')).normalize('NFC')).toBe('Tài liệu API · API documentation');
    await page.screenshot({ path: join(ARTEFACTS, 'docs-phone.png'), fullPage: true });
    expect(requested.length).toBeGreaterThan(0);
    for (const u of requested) expect(u.startsWith(`${env.url}/docs`), u).toBe(true);
    await page.close();
  });
});

describe('/readyz and the TSA', () => {
  it('has no tsa field when no TSA is configured', async () => {
    const r = await fetch(`${env.url}/readyz`, { headers: bearer(env.keys.ops) });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ready', store: 'ok', capabilities: { signing: 'ready', timestamping: 'not-configured', verification: 'ready' } });
    expect(body).not.toHaveProperty('tsa');
    // B-T traffic has nowhere to go: a load balancer's check for it says so.
    expect((await fetch(`${env.url}/readyz?capability=timestamping`)).status).toBe(503);
  });

  it('is ready with tsa "ok" when the TSA accepts a connection', async () => {
    let connections = 0;
    const tsa: TcpServer = createTcpServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((done) => tsa.listen(0, '127.0.0.1', done));
    const port = (tsa.address() as { port: number }).port;
    const t = await startTwoAgencies({ tsa: { url: `http://127.0.0.1:${port}/tsa` } });
    try {
      const r = await fetch(`${t.url}/readyz`, { headers: bearer(t.keys.ops) });
      expect(await r.json()).toEqual({ status: 'ready', store: 'ok', signers: { 'binh-dinh': 'ok', 'ha-noi': 'ok' }, tsa: 'ok', capabilities: { signing: 'ready', timestamping: 'ready', verification: 'ready' } });
      expect(r.status).toBe(200);
      expect((await fetch(`${t.url}/readyz?capability=timestamping`)).status).toBe(200);
      expect(connections).toBeGreaterThanOrEqual(1);
    } finally {
      await t.server.close();
      await new Promise((done) => tsa.close(done));
    }
  });

  it('with nothing listening on the TSA port: timestamping not ready (503 for ?capability=timestamping), the service still ready for B-B traffic (200)', async () => {
    // A port that was just ours and is now closed: connections to it are refused.
    const probe = createTcpServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as { port: number }).port;
    await new Promise((done) => probe.close(done));
    const t = await startTwoAgencies({ tsa: { url: `http://127.0.0.1:${port}/` } });
    try {
      const started = Date.now();
      const r = await fetch(`${t.url}/readyz`, { headers: bearer(t.keys.ops) });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: 'ready', store: 'ok', signers: { 'binh-dinh': 'ok', 'ha-noi': 'ok' }, tsa: 'unreachable', capabilities: { signing: 'ready', timestamping: 'not-ready', verification: 'ready' } });
      expect(Date.now() - started).toBeLessThan(3000);
      const stamping = await fetch(`${t.url}/readyz?capability=timestamping`, { headers: bearer(t.keys.ops) });
      expect(stamping.status).toBe(503);
      expect(await stamping.json()).toMatchObject({ status: 'not-ready', tsa: 'unreachable' });
      // Anonymous: the status alone, per capability.
      expect(await (await fetch(`${t.url}/readyz?capability=timestamping`)).json()).toEqual({ status: 'not-ready' });
      expect(await (await fetch(`${t.url}/readyz?capability=signing`)).json()).toEqual({ status: 'ready' });
      expect((await fetch(`${t.url}/readyz?capability=everything`)).status).toBe(400);
    } finally {
      await t.server.close();
    }
  });
});
