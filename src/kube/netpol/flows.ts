import { parse as parseYaml } from 'yaml';
import { safeParseWith, z } from '../../core/schema.js';
import { parseCidr } from './cidr.js';
import { NetpolError } from './errors.js';
import { type PodInfo, PROTOCOLS, type Protocol } from './types.js';

/** One declared or observed flow: pods/workloads by `NS/NAME`, addresses outside the cluster by CIDR. */
export interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A flow with its ends resolved: pods/workloads of the input, or CIDRs. */
export interface ResolvedFlow {
  readonly flow: Flow;
  readonly src: PodInfo | string;
  readonly dst: PodInfo | string;
}

function flow(src: unknown, dst: unknown, port: unknown, where: string): Flow {
  if (typeof src !== 'string' || !src.trim() || typeof dst !== 'string' || !dst.trim()) {
    throw new NetpolError('INVALID_FLOWS', `${where}: src and dst are required`);
  }
  const [p, proto] = String(port ?? '')
    .trim()
    .split('/');
  const n = Number(p);
  const protocol = (proto ?? 'TCP').toUpperCase();
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new NetpolError('INVALID_FLOWS', `${where}: port "${port}" is not 1-65535`);
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new NetpolError('INVALID_FLOWS', `${where}: unknown protocol "${proto}"`);
  }
  const s = src.trim();
  const d = dst.trim();
  if (parseCidr(s) && parseCidr(d))
    throw new NetpolError('INVALID_FLOWS', `${where}: one side must be a pod or workload`);
  return { src: s, dst: d, port: n, protocol: protocol as Protocol };
}

/** CSV: `src,dst,port[/proto]` per line; `#` comments, blank lines and a `src,...` header are skipped. */
function parseCsv(text: string, file: string): Flow[] {
  const out: Flow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^src\s*,/i.test(line)) return;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 3)
      throw new NetpolError('INVALID_FLOWS', `${file}:${i + 1}: expected src,dst,port[/proto]`);
    out.push(flow(cells[0], cells[1], cells[2], `${file}:${i + 1}`));
  });
  return out;
}

const FlowItem = z.object({
  src: z.unknown().optional(),
  dst: z.unknown().optional(),
  port: z.unknown().optional(),
  protocol: z.unknown().optional(),
});
const FlowList = z.array(FlowItem, { error: 'expected a list of flows (or flows: [...])' });
/** `[...]` is read as `{flows: [...]}`, so every error path starts at `flows`. */
const FlowsFile = z.preprocess(
  (doc) => (Array.isArray(doc) ? { flows: doc } : doc),
  z.object({ flows: FlowList }, { error: 'expected a list of flows (or flows: [...])' }),
);

/** YAML: a list of `{src, dst, port}` (port may carry `/PROTO`, or give `protocol`), or `{flows: [...]}`. */
function parseYamlFlows(text: string, file: string): Flow[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new NetpolError('INVALID_FLOWS', `${file}: not valid YAML`, { cause: err });
  }
  const parsed = safeParseWith(FlowsFile, doc);
  if (!parsed.ok) throw new NetpolError('INVALID_FLOWS', `${file}: ${parsed.message}`);
  return parsed.value.flows.map((item, i) => {
    const port = item.protocol ? `${item.port}/${item.protocol}` : item.port;
    return flow(item.src, item.dst, port, `${file}: flows[${i}]`);
  });
}

export function parseFlows(text: string, file: string): Flow[] {
  const csv = /\.csv$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^[^:\n]*,[^\n]*,/.test(text.trimStart()));
  const flows = csv ? parseCsv(text, file) : parseYamlFlows(text, file);
  if (flows.length === 0) throw new NetpolError('INVALID_FLOWS', `${file}: no flows`);
  return flows;
}

export const flowText = (f: Flow): string => `${f.src} -> ${f.dst} ${f.port}/${f.protocol}`;
