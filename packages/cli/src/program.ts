import { Command } from 'commander';
import { registerSign } from './commands/sign.js';
import { registerCode } from './commands/code.js';
import { registerTestPki } from './commands/test-pki.js';
import { registerVerify } from './commands/verify.js';
import { registerExtend } from './commands/extend.js';
import { registerToken } from './commands/token.js';
import { registerServe } from './commands/serve.js';
import { registerCertifyCopy } from './commands/certify-copy.js';

/**
 * Each command lives in commands/<name>.ts and registers itself here, so
 * adding a command touches one line of this file.
 */
export function createProgram(): Command {
  const program = new Command('kyso')
    .description('Ký số PDF cho chính phủ điện tử Việt Nam / PDF signing for Vietnamese e-government')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride();
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
