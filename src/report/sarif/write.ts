import { assertNever } from '../../core/assert.js';
import { severityRating } from '../../core/finding/index.js';
import type { Finding, ScanResult } from '../../core/types.js';
import type { WriteOptions } from '../types.js';
import { sarifLevel, securitySeverity } from './severity.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/strata-security/strata';

type Json = Record<string, unknown>;

/** A file path as a SARIF uri-reference (no leading `./`, percent-encoded where needed). */
export function toUri(path: string): string {
  return encodeURI(path.replace(/\\/g, '/').replace(/^\.\//, '')).replace(/[?#]/g, (c) =>
    encodeURIComponent(c),
  );
}

/** Per rule id, the highest CVSS base score among its findings, where their severity came from one. */
function baseScores(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) {
    const score = severityRating(f)?.score;
    if (score !== undefined && score > (out.get(f.id) ?? -1)) out.set(f.id, score);
  }
  return out;
}

function ruleOf(f: Finding, baseScore: number | undefined): Json {
  return {
    id: f.id,
    name: f.id.replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: { text: f.title },
    ...(f.description ? { fullDescription: { text: f.description } } : {}),
    ...(f.references?.[0] ? { helpUri: f.references[0] } : {}),
    help: { text: [f.description ?? f.title, ...(f.references ?? [])].join('\n') },
    defaultConfiguration: { level: sarifLevel(f.severity) },
    properties: {
      tags: ['security', f.kind],
      'security-severity': securitySeverity(f.severity, baseScore),
      precision: 'high',
    },
  };
}

/** The one line of evidence that says what was seen, for the result message. */
function detailOf(f: Finding): string | undefined {
  switch (f.kind) {
    case 'misconfiguration': {
      const e = f.evidence;
      return 'message' in e ? e.message : 'detail' in e ? e.detail : undefined;
    }
    case 'exposure':
      return 'message' in f.evidence ? f.evidence.message : undefined;
    case 'audit':
      return f.evidence.output;
    case 'vulnerability':
    case 'secret':
    case 'rbac':
    case 'network':
    case 'signature':
    case 'attack-path':
      return undefined;
    default:
      return assertNever(f, 'finding kind');
  }
}

function messageOf(f: Finding): string {
  const detail = detailOf(f);
  const where = f.package ? `${f.package.name} ${f.package.version}` : f.location.resource;
  return [f.title, typeof detail === 'string' ? detail : undefined, where ? `(${where})` : undefined]
    .filter(Boolean)
    .join(': ')
    .replace(/: \(/, ' (');
}

function locationOf(f: Finding, targetName: string): Json {
  const l = f.location;
  const region = l.line
    ? {
        region: {
          startLine: l.line,
          ...(l.endLine && l.endLine >= l.line ? { endLine: l.endLine } : {}),
          ...(l.column ? { startColumn: l.column } : {}),
        },
      }
    : {};
  const uri = l.path ?? l.resource ?? targetName;
  return {
    physicalLocation: { artifactLocation: { uri: toUri(uri) }, ...region },
    ...(l.resource ? { logicalLocations: [{ fullyQualifiedName: l.resource, kind: 'resource' }] } : {}),
  };
}

function resultOf(f: Finding, ruleIndex: number, targetName: string): Json {
  const properties: Json = { severity: f.severity, kind: f.kind };
  if (f.location.layer) properties.layer = f.location.layer;
  if (f.package) properties.package = f.package;
  if (f.fixedVersion) properties.fixedVersion = f.fixedVersion;
  if (Object.keys(f.evidence).length > 0) properties.evidence = f.evidence;
  return {
    ruleId: f.id,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: messageOf(f) },
    locations: [locationOf(f, targetName)],
    properties,
  };
}

/**
 * SARIF 2.1.0 for any result: one rule per finding id (first finding's title/description),
 * one result per finding located at `location.path` and `line` (resource, layer and package in
 * logical locations and properties), partial failures as tool execution notifications.
 */
export function writeSarif(result: ScanResult, _options: WriteOptions = {}): string {
  const ruleIndex = new Map<string, number>();
  const rules: Json[] = [];
  const scores = baseScores(result.findings);
  for (const f of result.findings) {
    if (ruleIndex.has(f.id)) continue;
    ruleIndex.set(f.id, rules.length);
    rules.push(ruleOf(f, scores.get(f.id)));
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'warning',
              message: { text: `${e.analyzer}: ${e.message}` },
              ...(e.path
                ? { locations: [{ physicalLocation: { artifactLocation: { uri: toUri(e.path) } } }] }
                : {}),
            })),
          },
        ],
        results: result.findings.map((f) => resultOf(f, ruleIndex.get(f.id) ?? 0, result.target.name)),
        properties: { target: result.target },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
