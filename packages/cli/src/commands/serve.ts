import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ServerConfigInput } from '@kyso/server';
import { CliError } from '../cli-error.js';

interface ServeOptions {
  port?: string;
  dataDir?: string;
  config?: string;
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
    .option('--quiet', 'no request log on stderr')
    .action(async (opts: ServeOptions) => {
      // The service (fastify and the rest) is loaded when it is asked for: it was most of every other command's start-up.
      const { applyEnv, ConfigError, createServer, loadConfigFile, prepareDevMode } = await import('@kyso/server');
      const configFile = opts.config ?? process.env.KYSO_CONFIG;
      let input: ServerConfigInput;
      let newKey: string | undefined;
      let keepKey: (() => void) | undefined;
      let dev = false;
      try {
        if (configFile) input = loadConfigFile(configFile);
        else {
          dev = true;
          const setup = await prepareDevMode(resolve(opts.dataDir ?? process.env.KYSO_DATA_DIR ?? './kyso-data'));
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
        if (e instanceof ConfigError) throw new CliError(e.message, 78);
        throw e;
      }
      let server;
      try {
        server = await createServer(input, opts.quiet ? {} : { logStream: process.stderr });
      } catch (e) {
        if (e instanceof ConfigError) throw new CliError(e.message, 78);
        throw e;
      }
      const url = await server.listen();
      keepKey?.();
      const out = process.stdout;
      if (dev) {
        out.write('kyso: CHẾ ĐỘ PHÁT TRIỂN / DEVELOPMENT MODE: TEST identity, not for production\n');
        out.write(`kyso: data in ${server.config.dataDir}\n`);
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
          server.drain().then(done, (e: unknown) => {
            process.stderr.write(`kyso: stopping failed: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
            done();
          });
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
