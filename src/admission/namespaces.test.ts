import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inClusterConfig } from './namespaces.js';

describe('inClusterConfig (the pod service account, as client-go)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is undefined outside a cluster', () => {
    expect(inClusterConfig({})).toBeUndefined();
  });

  it('reads the CA and re-reads the token on every request (projected tokens rotate)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-sa-'));
    writeFileSync(join(dir, 'token'), 'first\n');
    writeFileSync(join(dir, 'ca.crt'), 'PEM');
    const config = inClusterConfig(
      { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
      dir,
    );
    expect(config?.server).toBe('https://[fd00::1]:443');
    expect(config?.ca?.toString()).toBe('PEM');
    expect(await config?.credentials.token()).toBe('first');
    writeFileSync(join(dir, 'token'), 'second\n');
    expect(await config?.credentials.rejected('first')).toBe(true);
    expect(await config?.credentials.token()).toBe('second');
    expect(config?.credentials.description).not.toContain('second');
  });
});
