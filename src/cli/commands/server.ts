import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import {
  generateToken,
  isScope,
  openStore,
  parseDatabase,
  runWorker,
  SCOPES,
  serve,
} from '../../server/index.js';
import { isDebug, runAction } from '../run.js';

interface ServerOptions {
  listen: string;
  database?: string;
  concurrency: string;
  rateLimit: string;
  bodyLimit: string;
  lease: string;
  shutdownGrace: string;
  db?: string;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError('INVALID_ARGUMENT', `${flag} "${value}": expected a positive integer`);
  return n;
}

function databaseOption(cmd: Command): Command {
  return cmd.option(
    '--database <url>',
    'postgres://... or a SQLite file (default $STRATA_DATABASE_URL, else the embedded database)',
  );
}

/** Resolves on SIGTERM/SIGINT, once. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

function registerToken(server: Command): void {
  const token = server.command('token').description('API tokens (stored hashed)');
  databaseOption(
    token
      .command('create')
      .description('create an API token and print it (shown once)')
      .requiredOption('--scope <scope>', SCOPES.join('|'))
      .option('--name <name>', 'a label for token list', ''),
  ).action((opts: { scope: string; name: string; database?: string }) =>
    runAction(async () => {
      if (!isScope(opts.scope))
        throw new UsageError('INVALID_ARGUMENT', `--scope "${opts.scope}": expected ${SCOPES.join('|')}`);
      const store = await openStore(parseDatabase(opts.database));
      try {
        const t = generateToken();
        await store.createToken({ id: t.id, name: opts.name, scope: opts.scope, hash: t.hash });
        process.stdout.write(`${t.secret}\n`);
        process.stderr.write(`strata: token ${t.id} (scope ${opts.scope}) created; it is not shown again\n`);
      } finally {
        await store.close();
      }
      return 0;
    }, isDebug()),
  );
  databaseOption(
    token
      .command('list')
      .description('API tokens (id, name, scope, created, revoked; never the secret)')
      .option('--format <format>', 'table|json', 'table'),
  ).action((opts: { database?: string; format: string }) =>
    runAction(async () => {
      const store = await openStore(parseDatabase(opts.database));
      try {
        const tokens = await store.listTokens();
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify({ tokens }, null, 2)}\n`);
        else
          for (const t of tokens)
            process.stdout.write(
              `${t.id}  ${t.scope.padEnd(5)}  ${t.createdAt}  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}  ${t.name}\n`,
            );
      } finally {
        await store.close();
      }
      return 0;
    }, isDebug()),
  );
  databaseOption(token.command('revoke <id>').description('revoke an API token')).action(
    (id: string, opts: { database?: string }) =>
      runAction(async () => {
        const store = await openStore(parseDatabase(opts.database));
        try {
          if (!(await store.revokeToken(id)))
            throw new UsageError('INVALID_ARGUMENT', `no active token ${id}`);
        } finally {
          await store.close();
        }
        return 0;
      }, isDebug()),
  );
}

export function registerServer(program: Command): void {
  const server = databaseOption(
    program
      .command('server')
      .description('fleet mode: the scan API, job queue and history (embedded SQLite and worker by default)')
      .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8080'),
  )
    .option('--concurrency <n>', 'jobs run at once by the in-process worker', '2')
    .option('--rate-limit <n>', 'API requests a minute per token', '600')
    .option('--body-limit <bytes>', 'largest request body', '65536')
    .option('--lease <seconds>', 'a job not renewed for this long is taken again', '60')
    .option(
      '--shutdown-grace <seconds>',
      'on SIGTERM, running jobs get this long before being released',
      '30',
    )
    .option('--db <path>', 'advisory database (default $STRATA_DB or ~/.cache/strata/db/strata.db)')
    .action((opts: ServerOptions) =>
      runAction(async () => {
        const running = await serve({
          listen: opts.listen,
          ...(opts.database ? { database: opts.database } : {}),
          concurrency: positive('--concurrency', opts.concurrency),
          rateLimit: positive('--rate-limit', opts.rateLimit),
          bodyLimit: positive('--body-limit', opts.bodyLimit),
          leaseSeconds: positive('--lease', opts.lease),
          shutdownGraceMs: positive('--shutdown-grace', opts.shutdownGrace) * 1000,
          ...(opts.db ? { db: opts.db } : {}),
        });
        process.stderr.write(`strata: server listening on ${running.url}\n`);
        await untilSignal();
        await running.close();
        return 0;
      }, isDebug()),
    );
  registerToken(server);
}

/** `strata worker --database postgres://...`: takes jobs from the shared queue until SIGTERM/SIGINT. */
export function registerWorker(program: Command): void {
  databaseOption(
    program.command('worker').description("fleet mode: run jobs from the server's queue (PostgreSQL)"),
  )
    .option('--concurrency <n>', 'jobs run at once', '2')
    .option('--lease <seconds>', 'a job not renewed for this long is taken again', '60')
    .option(
      '--shutdown-grace <seconds>',
      'on SIGTERM, running jobs get this long before being released',
      '30',
    )
    .option('--db <path>', 'advisory database (default $STRATA_DB or ~/.cache/strata/db/strata.db)')
    .action(
      (opts: { database?: string; concurrency: string; lease: string; shutdownGrace: string; db?: string }) =>
        runAction(async () => {
          const location = parseDatabase(opts.database);
          if (location.kind !== 'postgres')
            throw new UsageError(
              'INVALID_ARGUMENT',
              'strata worker needs --database postgres://... (or $STRATA_DATABASE_URL)',
            );
          const running = await runWorker({
            location,
            concurrency: positive('--concurrency', opts.concurrency),
            leaseSeconds: positive('--lease', opts.lease),
            shutdownGraceMs: positive('--shutdown-grace', opts.shutdownGrace) * 1000,
            ...(opts.db ? { db: opts.db } : {}),
          });
          process.stderr.write('strata: worker started\n');
          await untilSignal();
          await running.close();
          return 0;
        }, isDebug()),
    );
}
