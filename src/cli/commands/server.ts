import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { isScope, SCOPES } from '../../server/light.js';
import { durationOption } from '../../transport/light.js';

/** fastify, the stores and the worker: loaded when a server command runs. */
const loadServer = () => import('../../server/index.js');

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
  dbUpdateInterval?: string;
  dbMirror?: string;
  dbEcosystems?: string;
  dbImport?: string;
  notifyWebhook: string[];
  notifyRetry: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** `--notify-webhook [json=|slack=]URL`: a webhook target from the configuration. */
export function parseWebhook(value: string): { url: string; format: 'json' | 'slack' } {
  const m = /^(json|slack)=(.+)$/.exec(value);
  const format = (m?.[1] ?? 'json') as 'json' | 'slack';
  const url = m?.[2] ?? value;
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new UsageError(
      'INVALID_ARGUMENT',
      `--notify-webhook "${value}": expected [json=|slack=]http(s)://...`,
    );
  return { url, format };
}

function dbSourceOf(opts: ServerOptions): { mirror?: string; ecosystems?: string[]; paths?: string[] } {
  const ecosystems = list(opts.dbEcosystems);
  const paths = list(opts.dbImport);
  if (opts.dbMirror && !/^https?:\/\//.test(opts.dbMirror))
    throw new UsageError('INVALID_ARGUMENT', `--db-mirror "${opts.dbMirror}": expected an http(s) URL`);
  return {
    ...(opts.dbMirror ? { mirror: opts.dbMirror } : {}),
    ...(ecosystems.length ? { ecosystems } : {}),
    ...(paths.length ? { paths } : {}),
  };
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
      const { generateToken, openStore, parseDatabase } = await loadServer();
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
      const { openStore, parseDatabase } = await loadServer();
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
        const { openStore, parseDatabase } = await loadServer();
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
    .option(
      '--db-update-interval <duration>',
      'update the advisory DB and re-match every stored inventory this often (e.g. 6h; default: off)',
    )
    .option('--db-mirror <url>', 'base URL serving <Ecosystem>/all.zip for advisory updates (default: OSV)')
    .option('--db-ecosystems <list>', 'comma-separated OSV ecosystems to update (default: every one)')
    .option('--db-import <paths>', 'update from these OSV exports on the workers (comma-separated) instead')
    .option(
      '--notify-webhook <[json=|slack=]url>',
      'webhook for new CRITICAL/HIGH findings, tag mutation and failed verification (repeatable)',
      collect,
      [],
    )
    .option('--notify-retry <duration>', 'first retry of a failed notification (doubles each time)', '2s')
    .action((opts: ServerOptions) =>
      runAction(async () => {
        const dbSource = dbSourceOf(opts);
        const webhooks = opts.notifyWebhook.map(parseWebhook);
        const { serve } = await loadServer();
        const running = await serve({
          dbSource,
          webhooks,
          notifyRetryMs: durationOption('--notify-retry', opts.notifyRetry),
          ...(opts.dbUpdateInterval
            ? { dbUpdateIntervalMs: durationOption('--db-update-interval', opts.dbUpdateInterval) }
            : {}),
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
    .option('--notify-retry <duration>', 'first retry of a failed notification (doubles each time)', '2s')
    .action(
      (opts: {
        database?: string;
        concurrency: string;
        lease: string;
        shutdownGrace: string;
        db?: string;
        notifyRetry: string;
      }) =>
        runAction(async () => {
          const { parseDatabase, runWorker } = await loadServer();
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
            notifyRetryMs: durationOption('--notify-retry', opts.notifyRetry),
            ...(opts.db ? { db: opts.db } : {}),
          });
          process.stderr.write('strata: worker started\n');
          await untilSignal();
          await running.close();
          return 0;
        }, isDebug()),
    );
}
