import { describe, expect, it } from 'vitest';
import { ProbeError } from './errors.js';
import { type Lookup, PUBLIC_MAX_TARGETS, resolveTargets } from './resolve.js';

const table: Record<string, { address: string; family: 4 | 6 }[]> = {
  'etcd.internal': [{ address: '10.0.0.7', family: 4 }],
  'mixed.example': [
    { address: '10.0.0.8', family: 4 },
    { address: '93.184.216.34', family: 4 },
  ],
  'public.example': [{ address: '93.184.216.34', family: 4 }],
  'mapped.example': [{ address: '::ffff:8.8.4.4', family: 6 }],
};
const looked: string[] = [];
const lookup: Lookup = async (host) => {
  looked.push(host);
  const found = table[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof ProbeError ? err.code : 'other';
  }
  return undefined;
}

describe('resolveTargets', () => {
  it('pins names to the private address they resolve to, and numeric forms to their address', async () => {
    const r = await resolveTargets(
      [
        { host: 'etcd.internal', port: 2379 },
        { host: '2130706433', port: 80 },
        { host: '::ffff:127.0.0.1', port: 80 },
      ],
      { lookup },
    );
    expect(r.targets.map((t) => t.address)).toEqual(['10.0.0.7', '127.0.0.1', '127.0.0.1']);
    expect(r.errors).toEqual([]);
  });

  it.each([
    ['8.8.8.8', 443],
    ['134744072', 443],
    ['0x8080808', 443],
    ['010.010.010.010', 443],
    ['::ffff:8.8.8.8', 443],
    ['2001:4860:4860::8888', 443],
    ['public.example', 443],
    ['mixed.example', 443],
    ['mapped.example', 443],
  ])('refuses %s (NOT_OWN_NETWORK) without --allow-public', async (host, port) => {
    expect(
      await codeOf(
        resolveTargets(
          [
            { host: '127.0.0.1', port: 1 },
            { host, port },
          ],
          { lookup },
        ),
      ),
    ).toBe('NOT_OWN_NETWORK');
  });

  it('refuses a numeric spelling that is no address', async () => {
    expect(await codeOf(resolveTargets([{ host: '4294967296', port: 1 }], { lookup }))).toBe(
      'INVALID_TARGET',
    );
  });

  it('checks a target already pinned at its address, without looking the name up again', async () => {
    looked.length = 0;
    expect(
      await codeOf(resolveTargets([{ host: 'etcd.internal', port: 1, address: '8.8.8.8' }], { lookup })),
    ).toBe('NOT_OWN_NETWORK');
    expect(looked).toEqual([]);
  });

  it(`accepts public addresses with allowPublic, at most ${PUBLIC_MAX_TARGETS}`, async () => {
    const some = Array.from({ length: PUBLIC_MAX_TARGETS }, (_, i) => ({
      host: `8.8.8.${i + 1}`,
      port: 443,
    }));
    expect((await resolveTargets(some, { allowPublic: true, lookup })).targets).toHaveLength(
      PUBLIC_MAX_TARGETS,
    );
    const tooMany = [...some, { host: '9.9.9.9', port: 443 }];
    expect(await codeOf(resolveTargets(tooMany, { allowPublic: true, lookup }))).toBe('TOO_MANY_TARGETS');
  });

  it('reports a name that does not resolve as an error entry, and probes the rest', async () => {
    const r = await resolveTargets(
      [
        { host: 'missing.internal', port: 6443 },
        { host: '127.0.0.1', port: 6443 },
      ],
      { lookup },
    );
    expect(r.targets).toEqual([{ host: '127.0.0.1', port: 6443, address: '127.0.0.1' }]);
    expect(r.errors).toEqual([
      {
        analyzer: 'probe',
        path: 'missing.internal:6443',
        message: expect.stringMatching(/does not resolve \(ENOTFOUND\)/),
      },
    ]);
  });

  it('resolves localhost with the system resolver to loopback only', async () => {
    const r = await resolveTargets([{ host: 'localhost', port: 1 }]);
    expect(['127.0.0.1', '0:0:0:0:0:0:0:1', '::1']).toContain(r.targets[0]?.address);
  });
});
