/**
 * Reading passwords at the terminal without echo: the terminal is put in raw mode, so typed characters are
 * never printed; Backspace edits, Enter ends a line, Ctrl-C or Ctrl-D cancels. Prompts go to stderr, so
 * stdout carries only the command's result.
 */
import { CommandError, type CommandIO } from './command';

/** Asks each prompt in turn and returns the lines typed, in one raw-mode session. */
export function promptHidden(io: CommandIO, prompts: string[]): Promise<string[]> {
  const { stdin, stderr } = io;
  if (!stdin.isTTY || !stdin.setRawMode) {
    return Promise.reject(new CommandError('Cannot prompt for a password: standard input is not a terminal.'));
  }
  return new Promise((resolve, reject) => {
    const answers: string[] = [];
    let current = '';
    const finish = (error?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      if (error) {
        stderr.write('\n');
        reject(error);
      } else {
        resolve(answers);
      }
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\u0003' || ch === '\u0004') return finish(new CommandError('Cancelled.'));
        if (ch === '\r' || ch === '\n') {
          stderr.write('\n');
          answers.push(current);
          current = '';
          if (answers.length === prompts.length) return finish();
          stderr.write(prompts[answers.length]);
        } else if (ch === '\u007f' || ch === '\b') {
          current = Array.from(current).slice(0, -1).join('');
        } else {
          current += ch;
        }
      }
    };
    stdin.setRawMode!(true);
    stdin.on('data', onData);
    stdin.resume();
    stderr.write(prompts[0]);
  });
}
