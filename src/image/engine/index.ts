export {
  containerdNamespaces,
  type Endpoint,
  engineEndpoint,
  formatEndpoint,
  parseEndpoint,
} from './endpoint.js';
export { openEngineImage } from './open-engine.js';
export { openFromSources } from './open-sources.js';
export {
  DEFAULT_IMAGE_SOURCES,
  ENGINES,
  type EngineName,
  type ImageSourceName,
  parseImageSources,
} from './sources.js';
