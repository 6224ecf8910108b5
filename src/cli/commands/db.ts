import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { durationOption } from '../../transport/light.js';
import type { DbStatus, ImportCounts, UpdateProgress, UpdateResult } from '../../vuln/index.js';
import { DEFAULT_MIRROR, defaultDbPath } from '../../vuln/light.js';
import { progress } from '../common.js';
import { missingLine } from '../download-db.js';
import { isDebug, runAction } from '../run.js';

interface DbOptions {
  db?: string;
  format: string;
  quiet?: boolean;
}

function parseDbFormat(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json')
    throw new UsageError('INVALID_ARGUMENT', `--format: "${value}" is not table or json`);
  return value;
}

const countsLine = (c: ImportCounts): string =>
  `imported ${c.imported}, replaced ${c.replaced}, skipped ${c.skipped}, withdrawn ${c.withdrawn}, bad ${c.bad}`;

function reportBad(opts: DbOptions, c: ImportCounts): void {
  for (const b of c.badRecords.slice(0, 20)) progress(opts, `strata: bad record ${b.source}: ${b.message}`);
  if (c.bad > 20) progress(opts, `strata: ... and ${c.bad - 20} more bad records`);
}

/** A one-line progress display: rewritten in place on a terminal, a line per step otherwise. */
function progressLine(opts: DbOptions): (text: string, final?: boolean) => void {
  const tty = Boolean(process.stderr.isTTY);
  let last = 0;
  return (text, final = false) => {
    if (opts.quiet) return;
    const now = Date.now();
    if (tty) {
      if (final || now - last > 100) process.stderr.write(`\r\u001b[K${text}${final ? '\n' : ''}`);
    } else if (final || now - last > 2000) process.stderr.write(`${text}\n`);
    if (!final) last = now;
  };
}

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

function describeUpdate(p: UpdateProgress): string {
  switch (p.phase) {
    case 'download':
      return `${p.ecosystem}: downloading ${mib(p.bytes)}${p.total ? ` of ${mib(p.total)} (${Math.floor((100 * p.bytes) / p.total)}%)` : ''}`;
    case 'not-modified':
      return `${p.ecosystem}: not modified since the last update`;
    case 'import':
      return `${p.ecosystem}: ${countsLine(p.counts)}`;
    case 'missing':
      return `${p.ecosystem}: no export (${p.missing.reason})`;
  }
}

export function renderStatus(s: DbStatus, now: Date = new Date()): string {
  const lines = [`Advisory database: ${s.path} (${mib(s.sizeBytes)})`];
  if (s.updatedAt) {
    const days = Math.floor((now.getTime() - Date.parse(s.updatedAt)) / 86_400_000);
    lines.push(`Last update: ${s.updatedAt} (${days === 0 ? 'today' : `${days} days ago`})`);
  } else lines.push('Last update: never');
  lines.push(`Advisories: ${s.advisories} (${s.withdrawn} withdrawn)`, '');
  const width = Math.max(9, ...s.ecosystems.map((e) => e.ecosystem.length));
  lines.push(`${'ECOSYSTEM'.padEnd(width)}  ADVISORIES`);
  for (const e of s.ecosystems) lines.push(`${e.ecosystem.padEnd(width)}  ${e.advisories}`);
  if (s.sources.length) {
    lines.push('', 'Downloaded exports:');
    for (const src of s.sources) {
      const checked = src.fetchedAt ? ` (checked ${src.fetchedAt})` : ' (never imported)';
      const missing = src.missing ? `; MISSING at the last update: ${src.missing}` : '';
      lines.push(`  ${src.ecosystem}: ${src.url ?? '?'}${checked}${missing}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function withDbOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'advisory database (default $STRATA_DB or ~/.cache/strata/db/strata.db)')
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-q, --quiet', 'no progress on stderr');
}

export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description('advisory database: import OSV exports, download them, show what is loaded');

  withDbOptions(db.command('import [paths...]'))
    .description('import OSV exports (all.zip files, directories of .json records, or trees of both)')
    .option('--demo', 'import the bundled demo advisories (real OSV records)')
    .action((paths: string[], opts: DbOptions & { demo?: boolean }) =>
      runAction(async () => {
        const format = parseDbFormat(opts.format);
        if (paths.length === 0 && !opts.demo)
          throw new UsageError('USAGE', 'db import: give at least one path (or --demo)');
        const { importAdvisories } = await import('../../scan/index.js');
        const line = progressLine(opts);
        const { path, counts } = await importAdvisories(paths, {
          ...(opts.db !== undefined ? { db: opts.db } : {}),
          ...(opts.demo ? { demo: true } : {}),
          onProgress: (c, source) => line(`${countsLine(c)} (${source})`),
        });
        line(countsLine(counts), true);
        reportBad(opts, counts);
        const out =
          format === 'json'
            ? `${JSON.stringify({ path, ...counts }, null, 2)}\n`
            : `${path}: ${countsLine(counts)}\n`;
        process.stdout.write(out);
        return 0;
      }, isDebug()),
    );

  withDbOptions(db.command('update'))
    .description('download the OSV exports (conditional requests) and swap the database in atomically')
    .option('--mirror <url>', 'base URL serving <Ecosystem>/all.zip', DEFAULT_MIRROR)
    .option('--ecosystems <list>', 'comma-separated OSV ecosystems (default: every one Strata inventories)')
    .option('--offline', 'never touch the network (refuses to update)')
    .option('--timeout <duration>', 'give up on the whole update after this long (e.g. 10m, 1h)', '30m')
    .action((opts: DbOptions & { mirror: string; ecosystems?: string; offline?: boolean; timeout: string }) =>
      runAction(async () => {
        const format = parseDbFormat(opts.format);
        const path = opts.db ?? defaultDbPath();
        const line = progressLine(opts);
        const ecosystems = opts.ecosystems
          ?.split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        const { operationDeadline } = await import('../../transport/index.js');
        const { updateDb } = await import('../../vuln/index.js');
        const signal = operationDeadline(durationOption('--timeout', opts.timeout));
        const result: UpdateResult = await updateDb(path, {
          mirror: opts.mirror,
          signal,
          ...(ecosystems ? { ecosystems } : {}),
          ...(opts.offline ? { offline: true } : {}),
          onProgress: (p) => line(describeUpdate(p), p.phase === 'not-modified' || p.phase === 'missing'),
        });
        for (const e of result.ecosystems) {
          if (!e.notModified) line(`${e.ecosystem}: ${countsLine(e.counts)}, removed ${e.removed}`, true);
          reportBad(opts, e.counts);
        }
        // warnings, not progress: printed with --quiet too
        for (const m of result.missing) process.stderr.write(`${missingLine(m)}\n`);
        if (format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          const changed = result.ecosystems.filter((e) => !e.notModified).length;
          const warned = result.missing.filter((m) => !m.optional).map((m) => m.ecosystem);
          const total = result.ecosystems.length + warned.length;
          process.stdout.write(
            `${path}: ${changed} of ${total} ecosystems updated${warned.length ? `, missing: ${warned.join(', ')}` : ''}\n`,
          );
        }
        return 0;
      }, isDebug()),
    );

  withDbOptions(db.command('status'))
    .description('ecosystems, advisory counts and the last update')
    .action((opts: DbOptions) =>
      runAction(async () => {
        const format = parseDbFormat(opts.format);
        const { advisoryDbStatus } = await import('../../scan/index.js');
        const s = advisoryDbStatus(opts.db);
        process.stdout.write(format === 'json' ? `${JSON.stringify(s, null, 2)}\n` : renderStatus(s));
        return 0;
      }, isDebug()),
    );
}
