export { checkImageConfig, IMAGE_CONFIG_RULES } from './check.js';
