import type { Command } from 'commander';

export function registerSign(program: Command): void {
  program.command('sign').description('Ký một tệp PDF / sign a PDF');
}
