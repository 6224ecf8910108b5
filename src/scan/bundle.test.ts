import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanBundle } from './bundle.js';

const fixture = (name: string) => join(import.meta.dirname, '../trust/keyless/fixtures', name);

describe('scanBundle', () => {
  it('verifies a message-signature bundle with its artifact, read from files', () => {
    const r = scanBundle(fixture('v01-message-signature.json'), {
      trustedRoot: fixture('sigstore-js-trusted-root.json'),
      artifact: fixture('artifact.txt'),
    });
    expect(r.ok).toBe(true);
  });

  it('applies the identity constraint', () => {
    const r = scanBundle(fixture('oci-attestation.sigstore.json'), {
      trustedRoot: fixture('trusted_root_pgi.json'),
      identity: { subject: 'someone-else@example.com' },
    });
    expect(r.ok).toBe(false);
  });

  it('accepts any identity when the constraint is empty', () => {
    const r = scanBundle(fixture('oci-attestation.sigstore.json'), {
      trustedRoot: fixture('trusted_root_pgi.json'),
      identity: {},
    });
    expect(r.ok).toBe(true);
  });

  it.each([
    [
      'the bundle',
      fixture('missing.json'),
      fixture('trusted_root_pgi.json'),
      /^<bundle>: cannot read .*missing\.json$/,
    ],
    [
      'the trusted root',
      fixture('v01-dsse.json'),
      fixture('missing-root.json'),
      /^--trusted-root: cannot read /,
    ],
  ])('refuses an unreadable %s with a user error naming it', (_what, bundle, root, message) => {
    expect(() => scanBundle(bundle, { trustedRoot: root })).toThrow(
      expect.objectContaining({ userError: true, message: expect.stringMatching(message) }),
    );
  });
});
