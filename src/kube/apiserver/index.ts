export { type ControlPlaneOptions, checkCommandLines, checkControlPlane, checkSettings } from './check.js';
export { CHECKS } from './checks.js';
export { BENCHMARK, evaluate } from './evaluate.js';
export {
  BOOLEAN_FLAGS,
  FlagSet,
  type FlagValue,
  LIST_FLAGS,
  parseBool,
  parseFlags,
  type Word,
} from './flags.js';
export { flagSettings, kubeletConfigSettings } from './settings.js';
export {
  APISERVER_ANALYZER,
  containerComponent,
  kubeadmSettings,
  kubeletSettings,
  parseCommandLines,
  staticPodSettings,
} from './sources.js';
export type { Component, ControlCheck, Expectation, Setting, Settings } from './types.js';
