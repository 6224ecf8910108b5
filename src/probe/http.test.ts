import { describe, expect, it } from 'vitest';
import { assertReadOnly } from './http.js';
import type { ProbeRequest } from './types.js';

describe('the read-only guard', () => {
  it.each<ProbeRequest>([
    { method: 'GET', path: '/api/v1/pods' },
    { method: 'POST', path: '/v3/kv/range', json: {} },
    { method: 'POST', path: '/v3beta/kv/range', json: {} },
  ])('lets $method $path through', (req) => {
    expect(() => assertReadOnly(req)).not.toThrow();
  });

  it.each([
    { method: 'POST', path: '/v3/kv/put', json: {} },
    { method: 'POST', path: '/v3/kv/deleterange', json: {} },
    { method: 'DELETE', path: '/v2/x/manifests/y' },
    { method: 'PUT', path: '/v3/kv/range' },
  ])('refuses $method $path even if a caller forges the type', (req) => {
    expect(() => assertReadOnly(req as unknown as ProbeRequest)).toThrow(/refusing a non-read request/);
  });
});
