import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ServerConfigInput } from '@kyso/server';
import { CliError } from '../cli-error.js';

interface ServeOptions {
  port?: string;
  dataDir?: string;
  config?: string;
  dev?: boolean;
  pki?: string;
  quiet?: boolean;
}

/** `kyso serve` (the signing service) and `kyso audit verify` (its audit hash chain). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Chạy dịch vụ ký số HTTP / run the HTTP signing service')
    .option('--port <n>', 'port to listen on (default 8080; 0 picks a free one)')
    .option('--data-dir <dir>', 'data directory (SQLite, development TEST identity)', undefined)
    .option('--config <file>', 'YAML (.yaml, .yml) or JSON configuration (default $KYSO_CONFIG; none = development mode)')
    .option('--dev', 'development mode even when $KYSO_CONFIG is set: TEST identity, loopback TEST TSA / OCSP / CRL / chế độ phát triển')
    .option('--pki <dir>', 'development mode: sign with and trust this `kyso test-pki` output (default <data-dir>/test-pki, made if absent)')
    .option('--quiet', 'no request log on stderr')
    .action(async (opts: ServeOptions) => {
      // The service (fastify and the rest) is loaded when it is asked for: it was most of every other command's start-up.
      const { applyEnv, ConfigError, createServer, loadConfigFile, prepareDevMode } = await import('@kyso/server');
      if (opts.dev && opts.config) throw new CliError('--dev and --config exclude each other: development mode has no configuration file', 64);
      // An explicit --dev wins over $KYSO_CONFIG, as --config does.
      const configFile = opts.dev ? undefined : (opts.config ?? process.env.KYSO_CONFIG);
      if (configFile && opts.pki) throw new CliError('--pki is for development mode only; a configuration names its identities and trusted roots', 64);
      let input: ServerConfigInput;
      let newKey: string | undefined;
      let keepKey: (() => void) | undefined;
      let setup: Awaited<ReturnType<typeof prepareDevMode>> | undefined;
      let dev = false;
      try {
        if (configFile) input = loadConfigFile(configFile);
        else {
          dev = true;
          setup = await prepareDevMode(resolve(opts.dataDir ?? process.env.KYSO_DATA_DIR ?? './kyso-data'), { services: true, ...(opts.pki ? { pkiDir: opts.pki } : {}) });
          input = applyEnv(setup.config);
          newKey = setup.newApiKey;
          keepKey = setup.keep;
        }
        if (opts.dataDir) input.dataDir = resolve(opts.dataDir);
        if (opts.port !== undefined) {
          const port = Number(opts.port);
          if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port "${opts.port}" is not a port number`, 64);
          input.port = port;
        }
      } catch (e) {
        await setup?.close();
        if (e instanceof ConfigError) throw new CliError(e.message, 78);
        throw e;
      }
      let server;
      let url: string;
      try {
        server = await createServer(input, opts.quiet ? {} : { logStream: process.stderr });
        url = await server.listen();
      } catch (e) {
        // Nothing listens: the TEST services go too (and no key is kept).
        await setup?.close();
        if (e instanceof ConfigError) throw new CliError(e.message, 78);
        throw e;
      }
      keepKey?.();
      const out = process.stdout;
      if (dev) {
        out.write('kyso: CHẾ ĐỘ PHÁT TRIỂN / DEVELOPMENT MODE: TEST identity, not for production\n');
        out.write(`kyso: data in ${server.config.dataDir}\n`);
        if (setup) {
          out.write(`kyso: PKI THỬ NGHIỆM / TEST PKI in ${setup.pkiDir} (root ${setup.pki.root.subject})\n`);
          // Printed before "listening on": scripts read the key on the line right after the page's.
          if (setup.services) {
            out.write(`kyso: TEST TSA (B-T, B-LT, B-LTA): ${setup.services.tsaUrl}\n`);
            out.write(`kyso: TEST OCSP / CRL (B-LT, B-LTA): ${setup.services.ocspUrl} ${setup.services.crlUrl}\n`);
          }
          for (const w of setup.warnings) process.stderr.write(`kyso: warning: ${w}\n`);
        }
      }
      out.write(`kyso: listening on ${url}\n`);
      out.write(`kyso: trang kiểm tra / verification page: ${url}/\n`);
      if (newKey) out.write(`API key: ${newKey}\n`);
      else if (dev) out.write(`kyso: development key kept from the first start (delete ${resolve(server.config.dataDir, 'dev-key.json')} for a new one)\n`);

      await new Promise<void>((done) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          process.stderr.write(`kyso: ${signal}: finishing requests in progress, then stopping\n`);
          server
            .drain()
            .then(
              () => {},
              (e: unknown) => {
                process.stderr.write(`kyso: stopping failed: ${e instanceof Error ? e.message : String(e)}\n`);
                process.exitCode = 1;
              },
            )
            // The TEST services last: requests in progress may still be timestamping.
            .then(() => setup?.close())
            .then(done, done);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });

  program
    .command('audit')
    .description('Nhật ký kiểm toán của dịch vụ / the signing service audit log')
    .command('verify')
    .description('Kiểm tra chuỗi băm của nhật ký / check the audit log hash chain')
    .option('--data-dir <dir>', 'data directory of the SQLite store', './kyso-data')
    .option('--database-url <url>', 'PostgreSQL instead (default $DATABASE_URL)')
    .option('--schema <name>', 'PostgreSQL schema', 'public')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { dataDir: string; databaseUrl?: string; schema: string; json?: boolean }) => {
      const { openServerStore, verifyAuditChain } = await import('@kyso/server');
      const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
      const store = await openServerStore({ dataDir: resolve(opts.dataDir), ...(databaseUrl ? { databaseUrl, schema: opts.schema } : {}) });
      try {
        const r = await verifyAuditChain(store);
        if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else if (r.ok) process.stdout.write(`Nhật ký nguyên vẹn / audit log intact: ${r.records} records, last hash ${r.lastHash}\n`);
        else process.stdout.write(`Nhật ký bị thay đổi / audit log BROKEN at record ${r.brokenAt}: ${r.problem}\n`);
        process.exitCode = r.ok ? 0 : 1;
      } finally {
        await store.close();
      }
    });
}
