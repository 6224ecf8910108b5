import type { Command } from 'commander';
import { registerVerifyBundle } from './trust-bundle.js';
import { registerKey } from './trust-key.js';
import { registerAttest, registerSign } from './trust-sign.js';
import { registerVerify, registerVerifyAttestation } from './trust-verify.js';

/** `key generate`, `sign`, `verify`, `attest`, `verify-attestation`, `verify-bundle`. */
export function registerTrust(program: Command): void {
  registerKey(program);
  registerSign(program);
  registerVerify(program);
  registerAttest(program);
  registerVerifyAttestation(program);
  registerVerifyBundle(program);
}
