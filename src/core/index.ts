export * from './assert.js';
export * from './digest.js';
export * from './errors.js';
export * from './finding/index.js';
export * from './purl.js';
export * from './result.js';
export * from './severity.js';
export type * from './types.js';
export * from './version.js';
