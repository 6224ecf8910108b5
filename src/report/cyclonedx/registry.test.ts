import { describe, expect, it } from 'vitest';
import { writeReport } from '../index.js';
import { debianImageResult } from '../spdx/testing/schemas.js';
import { writeSpdx } from '../spdx/write.js';
import { writeCycloneDx } from './write.js';

describe('report registry', () => {
  it.each([
    ['cyclonedx', writeCycloneDx],
    ['spdx', writeSpdx],
  ] as const)('writes --format %s with the SBOM writer', (format, writer) => {
    const result = debianImageResult();
    expect(writeReport(result, format)).toBe(writer(result));
  });
});
