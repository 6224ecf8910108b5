import { TrustError } from '../errors.js';

/** Where a key password comes from: the environment first, then a prompt on a terminal. */
export type PasswordSource = (purpose: 'encrypt' | 'decrypt', where: string) => Promise<string>;

export function envPassword(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.STRATA_PASSWORD ?? env.COSIGN_PASSWORD;
}

/** STRATA_PASSWORD, then COSIGN_PASSWORD, then a hidden prompt when stdin is a TTY. */
export const defaultPasswordSource: PasswordSource = async (purpose, where) => {
  const fromEnv = envPassword();
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new TrustError(
      'NO_PASSWORD',
      `${where}: set STRATA_PASSWORD (or COSIGN_PASSWORD) to ${purpose} the private key; stdin is not a terminal`,
    );
  }
  const first = await prompt(`Enter password for private key ${where}: `);
  if (purpose === 'encrypt') {
    const again = await prompt('Enter password again: ');
    if (again !== first) throw new TrustError('BAD_PASSWORD', 'passwords do not match');
  }
  return first;
};

function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new TrustError('NO_PASSWORD', 'password prompt interrupted'));
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
