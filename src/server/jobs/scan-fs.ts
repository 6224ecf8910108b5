import { parseWith, z } from '../../core/schema.js';
import { finalizeResult, parseScanners, scanFilesystem } from '../../scan/index.js';
import { DEFAULT_SCANNERS } from './scan-image.js';
import { contractOf, type JobType } from './types.js';

export const FsPayload = z.object({
  path: z.string().min(1),
  scanners: z.array(z.enum(['vuln', 'secret', 'misconfig'])).optional(),
});
export type FsPayload = z.infer<typeof FsPayload>;

/** `strata fs PATH --format json` on the worker's filesystem (admin tokens only). */
export const scanFsJob: JobType<FsPayload> = {
  name: 'scan-fs',
  maxAttempts: 3,
  parse: (payload) => parseWith(FsPayload, payload, 'scan-fs job'),
  async run(payload, ctx) {
    const scanners = parseScanners((payload.scanners ?? DEFAULT_SCANNERS).join(','), [...DEFAULT_SCANNERS]);
    const result = await scanFilesystem(payload.path, {
      scanners,
      signal: ctx.signal,
      ...(ctx.db ? { db: ctx.db } : {}),
    });
    return {
      result: contractOf(finalizeResult(result, { suppression: { suppressors: [], warnings: [] } }).shown),
      scanners,
    };
  },
};
