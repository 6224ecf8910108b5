import { describe, expect, it } from 'vitest';
import { isLoopbackRegistry } from './scheme.js';

describe('isLoopbackRegistry', () => {
  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['registry.localhost:5000', true],
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['[::1]:5000', true],
    ['[::1]', true],
    ['::1', true],
    ['docker.io', false],
    ['localhost.example.com:5000', false],
    ['127.0.0.10:5000', false],
    ['127.0.0.1.nip.io', false],
    ['192.168.1.10:5000', false],
    ['[::2]:5000', false],
  ])('%s -> %s', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });
});
