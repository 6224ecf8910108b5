import { describe, expect, it } from 'vitest';
import { contentUuid, uuidV5 } from './content-uuid.js';

describe('uuidV5', () => {
  // reference values from Python's uuid.uuid5(uuid.NAMESPACE_URL, name)
  it.each([
    ['https://strata.dev/', 'c48fcee0-6c63-5c9b-9e6f-c791736afc96'],
    ['https://www.example.com/a b', 'ef63b78f-4d94-5235-aa93-49795f3e069c'],
    ['', '1b4db7eb-4057-5ddf-91e0-36dec72071f5'],
  ])('%j -> %s (RFC 4122 name-based, URL name space)', (name, uuid) => {
    expect(uuidV5(name)).toBe(uuid);
  });
});

describe('contentUuid', () => {
  it('is stable for the same content and differs for other content or kinds', () => {
    expect(contentUuid('spdx', '{"a":1}')).toBe(contentUuid('spdx', '{"a":1}'));
    expect(contentUuid('spdx', '{"a":1}')).not.toBe(contentUuid('spdx', '{"a":2}'));
    expect(contentUuid('spdx', '{"a":1}')).not.toBe(contentUuid('cyclonedx', '{"a":1}'));
    expect(contentUuid('spdx', 'x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
