import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditActions,
  alertLine,
  EXPECTED_STATUSES,
  performAuditActions,
} from '../support/audit-actions.js';
import { strata } from '../support/cli.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';

/**
 * `strata audit` on the REAL kube-apiserver's audit log (--audit-log-path, JSON, RequestResponse
 * policy): the actions of every built-in rule done through the API (test/support/audit-actions.ts)
 * are each detected exactly once. The log is shared with other suites, so only findings about this
 * run's uniquely named objects are counted.
 */
const skip = kubeSkipReason('audit-kube');

describe.skipIf(skip)('strata audit on a real API server audit log', () => {
  let kube: KubeApiServer;
  let actions: AuditActions;
  const ns = `strata-audit-${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'strata-audit-kube-'));
  afterAll(() => {
    actions?.close();
    rmSync(work, { recursive: true, force: true });
  });

  beforeAll(async () => {
    kube = await kubeApiServer();
    actions = await performAuditActions(kube, ns, work);
  }, 180_000);

  it('the actions reached the API server as intended (and the near-misses were refused)', () => {
    expect(actions.statuses).toEqual(EXPECTED_STATUSES);
    expect(actions.kubeletPaths.map((p) => p.split('?')[0])).toEqual([
      `/exec/${ns}/shell/c`,
      `/attach/${ns}/shell/c`,
      `/portForward/${ns}/shell`,
    ]);
  });

  it('detects each action once', async () => {
    const r = await strata(['audit', kube.auditLog, '-f', 'json', '-q'], {
      heapMiB: 512,
      timeoutMs: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mine = (JSON.parse(r.stdout).findings as Parameters<typeof alertLine>[0][])
      .filter((f) => f.location.resource?.includes(ns))
      .map(alertLine)
      .sort();
    expect(mine).toEqual(actions.expected);
  }, 180_000);
});
