import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';
import { ConfigError, generateApiKey, hashApiKey, loadConfigFile, resolveConfig, type ServerConfigInput } from '@kyso/server';
import { bearer, samplePdf, tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const BIN = resolve(ROOT, 'packages/cli/src/bin.ts');
const DEPLOY = resolve(__dirname, '../deploy');

/** The problems of the ConfigError `fn` must throw. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function write(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const HASH_A = hashApiKey('kyso_config-yaml-test-a');
const HASH_B = hashApiKey('kyso_config-yaml-test-b');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfakeForConfigTests\n-----END CERTIFICATE-----\n';

// Every setting, so that nothing is read differently from the two syntaxes.
const AS_JSON = {
  host: '0.0.0.0',
  port: 9443,
  dataDir: 'data',
  databaseSchema: 'kyso',
  bodyLimit: 10485760,
  maxConcurrent: 4,
  maxQueue: 16,
  workers: 3,
  twoStep: { sessionTtlSeconds: 300 },
  publicVerify: false,
  trust: { policy: 'vn', extraRoots: ['roots/extra.pem', PEM] },
  tsa: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 5000 },
  vgca: { allowHosts: ['DVC.example.gov.vn', '127.0.0.1:9000'], identity: 'con-dau', maxBytes: 2048, timeoutMs: 1000 },
  identities: [
    {
      name: 'con-dau',
      agency: '000.00.00.H56',
      image: '/etc/kyso/images/con-dau.png',
      signer: { pkcs11: { module: '/usr/lib/softhsm/libsofthsm2.so', token: 'Sở Tư pháp', key: 'id:0a1b', pinFile: 'secrets/pin', chain: 'chain.pem', sessions: 2 } },
    },
    { name: 'can-bo', agency: '000.00.00.H56', signer: { p12: 'keys/can-bo.p12', passwordEnv: 'CAN_BO_P12_PASSWORD' } },
  ],
  apiKeys: [
    { id: 'portal', sha256: HASH_A, identities: ['con-dau', 'can-bo'], operations: ['sign', 'verify', 'codes'] },
    { id: 'auditor', sha256: HASH_B, identities: [], operations: ['audit'] },
  ],
};

const AS_YAML = `# Sở Tư pháp: the same settings as AS_JSON, in the styles operators write
host: 0.0.0.0
port: 9443
dataDir: data
databaseSchema: kyso
bodyLimit: 10485760   # 10 MiB
maxConcurrent: 4
maxQueue: 16
workers: 3
twoStep: { sessionTtlSeconds: 300 }
publicVerify: false
trust:
  policy: vn
  extraRoots:
    - roots/extra.pem
    - |
      -----BEGIN CERTIFICATE-----
      MIIBfakeForConfigTests
      -----END CERTIFICATE-----
tsa: { url: "http://127.0.0.1:9/tsa", timeoutMs: 5000 }
vgca:
  allowHosts: [DVC.example.gov.vn, "127.0.0.1:9000"]
  identity: con-dau
  maxBytes: 2048
  timeoutMs: 1000
identities:
  - name: con-dau
    agency: "000.00.00.H56"
    image: /etc/kyso/images/con-dau.png
    signer:
      pkcs11:
        module: /usr/lib/softhsm/libsofthsm2.so
        token: Sở Tư pháp
        key: "id:0a1b"
        pinFile: secrets/pin
        chain: chain.pem
        sessions: 2
  - name: can-bo
    agency: '000.00.00.H56'
    signer: { p12: keys/can-bo.p12, passwordEnv: CAN_BO_P12_PASSWORD }
apiKeys:
  - id: portal
    sha256: "${HASH_A}"
    identities: [con-dau, can-bo]
    operations: [sign, verify, codes]
  - id: auditor
    sha256: ${HASH_B}
    identities: []
    operations:
      - audit
`;

describe('YAML configuration files', () => {
  it('a YAML file (.yaml or .yml) resolves to the same ServerConfig as the equivalent JSON file, environment included', () => {
    const dir = tempDir();
    const json = write(join(dir, 'kyso.json'), JSON.stringify(AS_JSON));
    const yaml = write(join(dir, 'kyso.yaml'), AS_YAML);
    const yml = write(join(dir, 'kyso.YML'), AS_YAML);
    const fromJson = resolveConfig(loadConfigFile(json, {}));
    expect(resolveConfig(loadConfigFile(yaml, {}))).toEqual(fromJson);
    expect(resolveConfig(loadConfigFile(yml, {}))).toEqual(fromJson);
    // Spot checks that the comparison is not between two equally wrong results.
    expect(fromJson.workers).toBe(3);
    expect(fromJson.twoStep.sessionTtlSeconds).toBe(300);
    expect(fromJson.trust.extraRoots[1]).toBe(PEM);
    expect(fromJson.vgca?.allowHosts).toEqual(['dvc.example.gov.vn', '127.0.0.1:9000']);

    const env = { KYSO_PORT: '9001', KYSO_HOST: '10.0.1.11', DATABASE_URL: 'postgres://kyso@127.0.0.1/kyso', KYSO_DATABASE_SCHEMA: 'other' };
    const envJson = resolveConfig(loadConfigFile(json, env));
    expect(resolveConfig(loadConfigFile(yaml, env))).toEqual(envJson);
    expect(envJson).toMatchObject({ port: 9001, host: '10.0.1.11', databaseUrl: 'postgres://kyso@127.0.0.1/kyso', databaseSchema: 'other' });
  });

  it("resolves relative paths against the file's directory, whatever the working directory", () => {
    const dir = tempDir();
    const file = write(
      join(dir, 'etc/kyso/kyso.yaml'),
      [
        'dataDir: ../../var/kyso',
        'identities:',
        '  - name: seal',
        '    agency: "000.00.00.H56"',
        '    signer: { pkcs11: { module: /opt/hsm/libpkcs11.so, token: T, key: k, pinFile: secrets/pin, chain: chain/bcy.pem } }',
        '  - name: dev',
        '    agency: "000.00.00.H26"',
        '    signer: { p12: keys/dev.p12, passwordFile: /run/secrets/p12-password }',
        'trust:',
        '  extraRoots: [roots/extra.pem, /usr/share/kyso/root.pem]',
      ].join('\n'),
    );
    const here = join(dir, 'etc/kyso');
    expect(process.cwd()).not.toBe(here);
    const c = resolveConfig(loadConfigFile(relative(process.cwd(), file), {}));
    expect(c.dataDir).toBe(join(dir, 'var/kyso'));
    expect(c.identities[0]!.signer).toMatchObject({ pkcs11: { module: '/opt/hsm/libpkcs11.so', pinFile: join(here, 'secrets/pin'), chain: join(here, 'chain/bcy.pem') } });
    expect(c.identities[1]!.signer).toEqual({ p12: join(here, 'keys/dev.p12'), passwordFile: '/run/secrets/p12-password' });
    expect(c.trust.extraRoots).toEqual([join(here, 'roots/extra.pem'), '/usr/share/kyso/root.pem']);
    // The environment's data directory is the operator's, relative to where kyso runs.
    expect(resolveConfig(loadConfigFile(file, { KYSO_DATA_DIR: 'elsewhere' })).dataDir).toBe(resolve('elsewhere'));
  });

  it('a syntax error is a ConfigError naming the file and the line', () => {
    const dir = tempDir();
    const cases: [string, number][] = [
      ['port: 8080\nidentities: [\n  { name: a, agency: b\nmaxQueue: 3\n', 4],
      ['port: 8080\ntrust:\n\tpolicy: bcy\n', 3],
      ['port: 8080\nhost: 127.0.0.1\n  dataDir: /var/lib/kyso\n', 2],
      ['apiKeys:\n  - id: "portal\n', 3],
    ];
    for (const [i, [text, line]] of cases.entries()) {
      const file = write(join(dir, `bad-${i}.yaml`), text);
      const problems = problemsOf(() => loadConfigFile(file, {}));
      expect(problems[0], text).toContain(`${file}, line ${line}, column `);
      expect(problems[0], text).toContain('invalid YAML');
    }
    const file = join(dir, 'bad-0.yaml');
    expect(() => loadConfigFile(file, {})).toThrow(new RegExp(`invalid configuration:\\n  - ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, line 4`));
  });

  it('refuses duplicate keys, naming the key and the line of the second one', () => {
    const dir = tempDir();
    const top = write(join(dir, 'top.yaml'), 'apiKeys: []\nport: 8080\n"apiKeys": []\n');
    expect(problemsOf(() => loadConfigFile(top, {}))).toEqual([`${top}, line 3, column 1: "apiKeys" is set twice in the same mapping`]);
    const nested = write(join(dir, 'nested.yaml'), 'identities:\n  - name: a\n    agency: "000.00.00.H56"\n    name: b\n');
    expect(problemsOf(() => loadConfigFile(nested, {}))).toEqual([`${nested}, line 4, column 5: "name" is set twice in the same mapping`]);
  });

  it('refuses the YAML features that would surprise a reviewer: tags, aliases, merge keys, other versions, several documents, odd numbers', () => {
    const dir = tempDir();
    const cases: [string, RegExp][] = [
      ['bodyLimit: !!binary aGVsbG8=\n', /line 1, column 12: the tag tag:yaml.org,2002:binary is not accepted/],
      ['host: !!timestamp 2024-01-01\n', /line 1, column 7: the tag tag:yaml.org,2002:timestamp is not accepted/],
      ['trust:\n  extraRoots: !!set { a, b }\n', /line 2, column 15: the tag tag:yaml.org,2002:set is not accepted/],
      ['host: !env KYSO_HOST\n', /line 1, column 7: the tag !env is not accepted/],
      ['%TAG !k! tag:kyso.example,2024:\n---\nhost: !k!secret x\n', /line 3, column 7: the tag tag:kyso.example,2024:secret is not accepted/],
      ['x: &ops [sign, verify]\napiKeys:\n  - operations: *ops\n', /line 3, column 17: aliases \(\*ops\) are not accepted/],
      ['defaults: { operations: [sign] }\napiKeys:\n  - <<: { operations: [sign] }\n    id: a\n', /line 3, column 5: merge keys \(<<\) are not accepted/],
      ['%YAML 1.1\n---\npublicVerify: yes\n', /%YAML 1\.1 is not accepted/],
      ['port: 8080\n---\nport: 9090\n', /line 2, column 1: more than one YAML document/],
      ['? [a, b]\n: 1\n', /line 1, column 3: a key must be plain text/],
      ['identities:\n  - signer: { pkcs11: { tokenSerial: 0012345678 } }\n', /line 2, column 38: 0012345678 would be read as the number 12345678: put it in quotes if it is text/],
      ['maxQueue: 0x40\n', /line 1, column 11: 0x40 would be read as the number 64/],
      ['maxQueue: 0o17\n', /0o17 would be read as the number 15/],
      ['bodyLimit: 5e7\n', /5e7 would be read as the number 50000000/],
      ['workers: 2.0\n', /2\.0 would be read as the number 2/],
      ['workers: .inf\n', /\.inf would be read as the number Infinity/],
      ['port: 123456789012345678901\n', /would be read as the number 123456789012345680000/],
    ];
    for (const [i, [text, want]] of cases.entries()) {
      const file = write(join(dir, `f-${i}.yaml`), text);
      const problems = problemsOf(() => loadConfigFile(file, {}));
      expect(problems.join('\n'), text).toMatch(want);
      expect(problems[0], text).toContain(file);
    }
  });

  it('reads values by the YAML 1.2 core schema: yes, no, on and dates stay text', () => {
    const dir = tempDir();
    const file = write(join(dir, 'kyso.yaml'), 'host: on\npublicVerify: no\nidentities:\n  - { name: a, agency: 2024-01-01, signer: { p12: a.p12, passwordEnv: X } }\nport: -1\n');
    const raw = loadConfigFile(file, {}) as Record<string, unknown>;
    expect(raw.host).toBe('on');
    expect(raw.publicVerify).toBe('no');
    expect((raw.identities as { agency: unknown }[])[0]!.agency).toBe('2024-01-01');
    expect(problemsOf(() => resolveConfig(raw as ServerConfigInput))).toEqual(['port must be an integer from 0 to 65535', 'publicVerify must be true or false']);
    write(file, 'publicVerify: False\nport: 0\nworkers: 0\n');
    expect(resolveConfig(loadConfigFile(file, {}))).toMatchObject({ publicVerify: false, port: 0, workers: 0 });
  });

  it('refuses a file that is empty or not a mapping', () => {
    const dir = tempDir();
    for (const text of ['', '# only a comment\n', '- port: 8080\n', 'just text\n']) {
      const file = write(join(dir, 'kyso.yaml'), text);
      expect(problemsOf(() => loadConfigFile(file, {}))).toEqual([`${file} must hold a YAML mapping (key: value lines)`]);
    }
    expect(problemsOf(() => loadConfigFile(join(dir, 'missing.yaml'), {}))[0]).toBe(`cannot read ${join(dir, 'missing.yaml')}: ENOENT`);
  });
});

describe('workers and twoStep.sessionTtlSeconds', () => {
  it('default to the number of cores and 600 seconds', () => {
    const c = resolveConfig({});
    expect(c.workers).toBe(availableParallelism());
    expect(c.twoStep).toEqual({ sessionTtlSeconds: 600 });
    expect(resolveConfig({ twoStep: {} }).twoStep).toEqual({ sessionTtlSeconds: 600 });
  });

  it('accept their bounds: 0 to 256 workers, 10 s to one day', () => {
    const dir = tempDir();
    for (const [workers, ttl] of [
      [0, 10],
      [256, 86400],
      [1, 600],
    ] as const) {
      const file = write(join(dir, 'kyso.yaml'), `workers: ${workers}\ntwoStep:\n  sessionTtlSeconds: ${ttl}\n`);
      const c = resolveConfig(loadConfigFile(file, {}));
      expect(c.workers).toBe(workers);
      expect(c.twoStep.sessionTtlSeconds).toBe(ttl);
    }
  });

  it('refuse anything else with a ConfigError naming the setting and its range', () => {
    const WORKERS = 'workers must be an integer from 0 to 256';
    const TTL = 'twoStep.sessionTtlSeconds must be an integer from 10 to 86400';
    const cases: [unknown, string][] = [
      [{ workers: -1 }, WORKERS],
      [{ workers: 257 }, WORKERS],
      [{ workers: 2.5 }, WORKERS],
      [{ workers: '4' }, WORKERS],
      [{ workers: null }, WORKERS],
      [{ twoStep: { sessionTtlSeconds: 9 } }, TTL],
      [{ twoStep: { sessionTtlSeconds: 86401 } }, TTL],
      [{ twoStep: { sessionTtlSeconds: 60.5 } }, TTL],
      [{ twoStep: { sessionTtlSeconds: '600' } }, TTL],
      [{ twoStep: 600 }, 'twoStep must be an object'],
      [{ twoStep: null }, 'twoStep must be an object'],
    ];
    for (const [input, problem] of cases) expect(problemsOf(() => resolveConfig(input as ServerConfigInput)), JSON.stringify(input)).toEqual([problem]);
  });

  it('are listed together with every other problem of a YAML file', () => {
    const dir = tempDir();
    const file = write(join(dir, 'kyso.yaml'), 'workers: 300\ntwoStep:\n  sessionTtlSeconds: 5\nmaxQueue: -1\n');
    expect(() => resolveConfig(loadConfigFile(file, {}))).toThrow(
      'invalid configuration:\n  - maxQueue must be an integer from 0 to 100000\n  - workers must be an integer from 0 to 256\n  - twoStep.sessionTtlSeconds must be an integer from 10 to 86400',
    );
  });
});

describe('kyso serve --config kyso.yaml', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('starts from a YAML file and signs a PDF over HTTP with a key configured only as its hash', async () => {
    const PASSWORD = 'yaml-p12-pw-51c0e2-bi-mat';
    const dir = tempDir();
    const pki = await loadOrCreateTestPki();
    await writeTestPki(pki, join(dir, 'pki'), { password: PASSWORD });
    write(join(dir, 'secrets/p12-password'), `${PASSWORD}\n`);
    const key = generateApiKey();
    const file = write(
      join(dir, 'kyso.yaml'),
      `# kyso serve test
port: 0
dataDir: data
workers: 1
twoStep: { sessionTtlSeconds: 120 }
identities:
  - name: so-tu-phap
    agency: "000.00.00.H56"
    signer:
      p12: pki/organisation.p12
      passwordFile: secrets/p12-password
apiKeys:
  - id: portal
    sha256: ${hashApiKey(key)}
    identities: [so-tu-phap]
    operations: [sign, verify]
trust:
  extraRoots: [pki/root.pem]
`,
    );

    const child = spawn('node', ['--import', 'tsx', BIN, 'serve', '--config', file], {
      cwd: ROOT,
      env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '', KYSO_PORT: '', KYSO_HOST: '', KYSO_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`kyso serve did not start:\n${out}\n${err}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = /listening on (http:\/\/\S+)\n/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m[1]!);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        rej(new Error(`kyso serve exited ${code}:\n${out}\n${err}`));
      });
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out).not.toContain('DEVELOPMENT MODE');

    const signed = await fetch(`${url}/v1/sign?reason=${encodeURIComponent('Chứng thực')}`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(key) }, body: samplePdf() });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('x-kyso-identity')).toBe('so-tu-phap');
    expect(signed.headers.get('x-kyso-field')).toBe('Signature1');
    const pdf = Buffer.from(await signed.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const report = (await (await fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })).json()) as { verdict: string };
    expect(report.verdict).toBe('valid');
    const refused = await fetch(`${url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(hashApiKey(key)) }, body: samplePdf() });
    expect(refused.status).toBe(401);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const text of [out, err]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(PASSWORD);
    }
  }, 120_000);
});

describe('deployment files (packages/server/deploy)', () => {
  it('kyso.yaml is a valid configuration, with the database URL only from the environment', () => {
    const file = join(DEPLOY, 'kyso.yaml');
    const url = 'postgres://kyso:secret@db.internal:5432/kyso?sslmode=verify-full';
    const c = resolveConfig(loadConfigFile(file, { DATABASE_URL: url }));
    expect(c.databaseUrl).toBe(url);
    expect(c.databaseSchema).toBe('kyso');
    expect(c.trust.policy).toBe('bcy');
    expect(c.tsa?.url).toMatch(/^https?:\/\//);
    expect(c.workers).toBeGreaterThan(0);
    expect(c.twoStep.sessionTtlSeconds).toBe(600);
    expect(c.identities.map((i) => i.name)).toEqual(['so-tu-phap-con-dau', 'nguyen-van-an']);
    expect(c.identities[0]!.signer).toMatchObject({ pkcs11: { pinFile: '/etc/kyso/secrets/hsm-pin' } });
    expect(c.identities[1]!.signer).toMatchObject({ pkcs11: { tokenSerial: '0012345678', pinEnv: 'KYSO_PIN_NGUYEN_VAN_AN' } });
    expect(c.apiKeys.map((k) => k.id)).toEqual(['cong-dich-vu-cong', 'bo-phan-mot-cua', 'kiem-toan', 'giam-sat']);
    expect(resolveConfig(loadConfigFile(file, {})).databaseUrl).toBeUndefined();
  });

  it("nginx.conf, kyso.service and the Dockerfile agree with the server's defaults", () => {
    const defaults = resolveConfig({});
    const nginx = readFileSync(join(DEPLOY, 'nginx.conf'), 'utf8');
    const mib = (s: string) => Number(/^(\d+)m$/.exec(s)![1]) * 1024 * 1024;
    const sizes = [...nginx.matchAll(/^\s*client_max_body_size (\S+);/gm)].map((m) => mib(m[1]!));
    expect(sizes[0]).toBe(defaults.bodyLimit);
    // The two-step prepare location: its JSON carries the PDF in base64.
    expect(sizes[1]).toBeGreaterThanOrEqual(Math.ceil((defaults.bodyLimit * 4) / 3) + 1024 * 1024);
    expect(nginx).toMatch(/location = \/metrics \{[^}]*deny all;/);

    const unit = readFileSync(join(DEPLOY, 'kyso.service'), 'utf8');
    const stop = Number(/^TimeoutStopSec=(\d+)s$/m.exec(unit)![1]);
    expect(stop).toBeGreaterThan(30);
    expect(unit).toMatch(/^ExecStart=.* serve --config \/etc\/kyso\/kyso\.yaml$/m);

    const docker = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(docker).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(docker).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
    expect(docker).toMatch(/^USER kyso$/m);
    expect(docker).toMatch(/^EXPOSE 8080$/m);
    expect(docker).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(docker).toMatch(/^CMD \["serve", "--config", "\/etc\/kyso\/kyso\.yaml"\]$/m);
  });

  const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;
  it.runIf(hasSystemdAnalyze)('kyso.service passes systemd-analyze verify without a warning', () => {
    const dir = tempDir();
    const unit = join(dir, 'kyso.service');
    copyFileSync(join(DEPLOY, 'kyso.service'), unit);
    // verify checks that ExecStart's program exists: use this machine's node.
    writeFileSync(unit, readFileSync(unit, 'utf8').replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    // verify exits 0 on unknown keys and unparsable values: the warnings are the verdict.
    const warnings = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('kyso.service'));
    expect(warnings).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
  });
});
