import { Command } from 'commander';
import { registerSign } from './commands/sign.js';
import { registerCode } from './commands/code.js';
import { registerTestPki } from './commands/test-pki.js';
import { registerVerify } from './commands/verify.js';
import { registerExtend } from './commands/extend.js';
import { registerToken } from './commands/token.js';
import { registerServe } from './commands/serve.js';
import { registerCertifyCopy } from './commands/certify-copy.js';
import { langFromEnv, parseLang, setLang, type Lang } from './lang.js';

/**
 * Each command lives in commands/<name>.ts and registers itself here, so
 * adding a command touches one line of this file.
 */
export function createProgram(): Command {
  const program = new Command('kyso')
    .description('Ký số PDF cho chính phủ điện tử Việt Nam / PDF signing for Vietnamese e-government')
    .version('0.1.0')
    .option('--lang <vi|en>', 'ngôn ngữ của thông báo và báo cáo (mặc định: biến KYSO_LANG, rồi vi) / language of messages and reports (default: env KYSO_LANG, then vi)', parseLang)
    .showHelpAfterError(false)
    // run.ts prints commander's usage errors in the shape and language of all the others.
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  // Set before any action: the option wins over KYSO_LANG. The program takes
  // --lang wherever it stands on the line, after the command name too.
  program.hook('preAction', () => setLang((program.opts() as { lang?: Lang }).lang ?? langFromEnv()));
  registerSign(program);
  registerCode(program);
  registerTestPki(program);
  registerVerify(program);
  registerExtend(program);
  registerToken(program);
  registerServe(program);
  registerCertifyCopy(program);
  return program;
}
