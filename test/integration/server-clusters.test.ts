import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { strata } from '../support/cli.js';
import { type KubeApiServer, kubeApiServer, kubeSkipReason } from '../support/kube-apiserver.js';
import { postgresBin, startPostgres } from '../support/postgres.js';
import { startCli, until } from '../support/processes.js';
import { freePort, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

/**
 * Fleet mode's cluster scans: `strata server` (embedded SQLite, then PostgreSQL) keeps a kubeconfig
 * of the real kube-apiserver, watches the cluster every 5 s, and each scan records the images its
 * workloads ran and what changed; the findings query answers by cluster and namespace.
 */
const skip = kubeSkipReason('server-clusters');
const login = { username: 'fleet', password: 'fleet-pull-pw-9876' };

interface ClusterScan {
  scan: string;
  status: string;
  error?: string;
  images: { reference: string; digest?: string; status: string }[];
  changes: {
    previousScan: string | null;
    added: { resource: string; container: string; images: string[] }[];
    changed: { resource: string; container: string; from: string[]; to: string[] }[];
    newImages: string[];
  } | null;
}

describe.skipIf(skip)('strata server: stored clusters, scans and watches on the real kube-apiserver', () => {
  let kube: KubeApiServer;
  let registry: RunningRegistry;
  let home: string;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startRegistry({ auth: login });
    const creds = `${login.username}:${login.password}`;
    // the same image in two manifest formats: two digests of one content, so a tag can move
    await skopeoCopy('oci-archive:examples/demo-image.tar', `docker://${registry.host}/fleet/app:v1`, {
      destCreds: creds,
      format: 'v2s2',
    });
    await skopeoCopy('oci-archive:examples/demo-image.tar', `docker://${registry.host}/fleet/app:v2`, {
      destCreds: creds,
      format: 'oci',
    });
    home = mkdtempSync(join(tmpdir(), 'strata-server-clusters-'));
    const db = join(home, '.cache', 'strata', 'db', 'strata.db');
    const env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: '' };
    expect((await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet'], { env })).code).toBe(0);
    for (const tag of ['v1', 'v2']) {
      const r = await strata(
        [
          'image',
          `${registry.host}/fleet/app:${tag}`,
          '--username',
          login.username,
          '--password',
          login.password,
          '--format',
          'json',
          '-q',
        ],
        { env },
      );
      expect(r.code, r.stderr).toBe(0);
      digests[tag] = JSON.parse(r.stdout).target.digest;
    }
    expect(digests.v1).not.toBe(digests.v2);
    kube = await kubeApiServer();
  }, 300_000);

  afterAll(async () => {
    await registry?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function scenario(label: string, databaseUrl: string): Promise<void> {
    const ns = `strata-fleet-${label}-${process.pid}`;
    await kube.ok('POST', '/api/v1/namespaces', { metadata: { name: ns } });
    onTestFinished(async () => {
      await kube.request('DELETE', `/api/v1/namespaces/${ns}`);
    });
    await until('the default service account', async () =>
      (await kube.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200
        ? true
        : undefined,
    );
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    await kube.ok('POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: 'regcred' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [registry.host]: { auth } } })).toString(
          'base64',
        ),
      },
    });
    const deployment = (tag: string) => ({
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            imagePullSecrets: [{ name: 'regcred' }],
            // privileged (and exposed below): the image's vulnerabilities open a path to the node
            containers: [
              {
                name: 'app',
                image: `${registry.host}/fleet/app:${tag}`,
                ports: [{ containerPort: 8080 }],
                securityContext: { privileged: true },
              },
            ],
          },
        },
      },
    });
    await kube.ok('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment('v1'));
    await kube.ok('POST', `/api/v1/namespaces/${ns}/services`, {
      metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });

    const env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: databaseUrl };
    const token = (await strata(['server', 'token', 'create', '--scope', 'admin'], { env })).stdout.trim();
    const reader = (await strata(['server', 'token', 'create', '--scope', 'read'], { env })).stdout.trim();
    const port = await freePort();
    const server = startCli(['server', '--listen', `127.0.0.1:${port}`], env);
    onTestFinished(async () => {
      server.child.kill('SIGTERM');
      if (server.child.exitCode === null) await new Promise((r) => server.child.once('exit', r));
    });
    const base = `http://127.0.0.1:${port}`;
    await until('the server', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
    const headers = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
    const get = async (path: string, t = reader): Promise<{ items: unknown[] } & Record<string, unknown>> => {
      const r = await fetch(`${base}${path}`, { headers: headers(t) });
      expect(r.status, `${path}: ${await r.clone().text()}`).toBe(200);
      return (await r.json()) as { items: unknown[] } & Record<string, unknown>;
    };

    const kubeconfig = readFileSync(kube.adminKubeconfig, 'utf8');
    const posted = await fetch(`${base}/api/v1/clusters`, {
      method: 'POST',
      headers: headers(token),
      body: JSON.stringify({ name: `kube-${label}`, kubeconfig, namespace: ns, watchSeconds: 5 }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
    const cluster = (await posted.json()) as { id: string };
    const listed = JSON.stringify(await get('/api/v1/clusters'));
    expect(listed).toContain(`kube-${label}`);
    expect(listed).not.toContain(kubeconfig.match(/token: (\S+)/)?.[1]);

    const scans = async () => (await get(`/api/v1/clusters/${cluster.id}/scans`)).items as ClusterScan[];
    const done = (n: number) =>
      until(`${n} done scans`, async () => {
        const s = await scans();
        const failed = s.find((x) => x.status === 'failed');
        if (failed) throw new Error(`scan failed: ${failed.error}`);
        return s.filter((x) => x.status === 'done').length >= n
          ? s.filter((x) => x.status === 'done')
          : undefined;
      });

    // the first watch scan starts at once: the image pulled with the namespace's pull secret
    const [first] = await done(1);
    const v1 = `${registry.host}/fleet/app:v1@${digests.v1}`;
    expect(first?.images).toEqual([
      expect.objectContaining({
        reference: `${registry.host}/fleet/app:v1`,
        digest: digests.v1,
        status: 'scanned',
      }),
    ]);
    expect(first?.changes).toMatchObject({ previousScan: null, newImages: [digests.v1] });
    expect(first?.changes?.added).toEqual([
      { resource: `Deployment/${ns}/web`, container: 'app', images: [v1] },
    ]);

    // the findings query by cluster and namespace: the workload's vulnerabilities
    const hits = (await get(`/api/v1/findings?cluster=kube-${label}&namespace=${ns}&limit=10000`)) as {
      items: { scan: string; finding: Finding }[];
    };
    const vulns = hits.items.filter((h) => h.finding.kind === 'vulnerability');
    expect(vulns.length).toBeGreaterThan(0);
    for (const h of vulns)
      expect(h.finding.location).toMatchObject({
        resource: `Deployment/${ns}/web`,
        container: 'app',
        image: v1,
      });
    expect((await get(`/api/v1/findings?cluster=kube-${label}&namespace=kube-system`)).items).toEqual([]);
    expect((await get(`/api/v1/findings?cluster=no-such-cluster`)).items).toEqual([]);

    // the next watch scan, nothing changed: the image is not pulled again
    const second = (await done(2))[0];
    expect(second?.changes).toMatchObject({
      previousScan: first?.scan,
      added: [],
      changed: [],
      newImages: [],
    });
    expect(second?.images.map((i) => i.status)).toEqual(['reused']);
    // its stored packages matched again: the same findings as the scan that pulled it
    const findingsOf = async (scan: string | undefined) =>
      ((await get(`/api/v1/scans/${scan}`)) as unknown as { result: { findings: Finding[] } }).result.findings
        .filter((f) => f.location.image)
        .map((f) => `${f.id} ${f.package?.name} ${f.location.resource} ${f.location.image}`)
        .sort();
    const pulled = await findingsOf(first?.scan);
    expect(pulled.length).toBeGreaterThan(0);
    expect(await findingsOf(second?.scan)).toEqual(pulled);

    // stored with the scan, for the dashboard: the NetworkPolicy engine's connection graph and the
    // attack paths (`strata k8s --paths`); the scan's result itself stays the JSON contract
    const firstScan = (await get(`/api/v1/scans/${first?.scan}`)) as unknown as {
      result: Record<string, unknown> & { findings: Finding[] };
    };
    expect(Object.keys(firstScan.result)).not.toContain('metadata');
    const paths = firstScan.result.findings.filter((f) => f.kind === 'attack-path');
    expect(paths.length).toBeGreaterThan(0);
    const detail = (await get(
      `/api/v1/cluster-results/detail?name=${encodeURIComponent(`kube-${label}`)}`,
    )) as unknown as {
      network: { granularity: string; nodes: string[]; edges: { from: string; to: string }[] } | null;
      attackPaths: Finding[];
      attackPathsComputed: boolean;
    };
    expect(detail.network?.granularity).toBe('workload');
    expect(detail.network?.nodes).toEqual(expect.arrayContaining(['internet', `${ns}/web`]));
    expect(detail.network?.edges).toContainEqual(
      expect.objectContaining({ from: 'internet', to: `${ns}/web` }),
    );
    expect(detail.attackPathsComputed).toBe(true);
    const top = detail.attackPaths.find((f) => (f.evidence as { rank?: number }).rank === 1);
    const ev = top?.evidence as {
      goal: string;
      score: number;
      hops: { kind: string; ref: string; why: string }[];
      fix: { action: string };
    };
    expect(ev.goal).toBe('node');
    expect(ev.score).toBeGreaterThan(0);
    expect(ev.hops.map((h) => h.ref)).toEqual(expect.arrayContaining([`Deployment/${ns}/web`]));
    expect(ev.hops.find((h) => h.kind === 'vulnerability')?.why).toContain(`${registry.host}/fleet/app:v1`);
    expect(ev.fix.action.length).toBeGreaterThan(0);

    // the Deployment moves to v2: a watch scan names the workload and scans the new digest
    const current = await kube.ok('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    const next = deployment('v2');
    await kube.ok('PUT', `/apis/apps/v1/namespaces/${ns}/deployments/web`, {
      ...next,
      metadata: {
        ...next.metadata,
        resourceVersion: (current.metadata as { resourceVersion: string }).resourceVersion,
      },
    });
    const moved = await until('a scan that saw v2', async () => {
      const s = (await scans()).find(
        (x) => x.status === 'done' && (x.changes?.newImages ?? []).includes(digests.v2!),
      );
      return s;
    });
    const web = moved.changes?.changed.find((c) => c.resource === `Deployment/${ns}/web`);
    expect(web?.from).toEqual([v1]);
    expect(web?.to).toContain(`${registry.host}/fleet/app:v2@${digests.v2}`);
    expect(moved.images.find((i) => i.digest === digests.v2)?.status).toBe('scanned');

    const scan = (await get(`/api/v1/scans/${moved.scan}`)) as unknown as {
      kind: string;
      result: { target: unknown };
    };
    expect(scan.kind).toBe('scan-cluster');
    expect(scan.result.target).toEqual({ type: 'cluster', name: `kube-${label}` });
    expect(server.out()).not.toContain(login.password);
    expect(server.out()).not.toContain(token);

    const deleted = await fetch(`${base}/api/v1/clusters/${cluster.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(deleted.status).toBe(204);
  }

  it('embedded SQLite', async () => {
    await scenario('sqlite', '');
  }, 240_000);

  it.skipIf(!postgresBin())(
    'PostgreSQL',
    async () => {
      const pg = await startPostgres();
      onTestFinished(() => pg.destroy());
      await scenario('pg', pg.url);
    },
    240_000,
  );
});
