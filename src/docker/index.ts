export { isDockerfileName } from './files.js';
export { checkImageConfig, IMAGE_CONFIG_RULES } from './image-config/index.js';
export * from './parse/index.js';
export * from './rules/index.js';
