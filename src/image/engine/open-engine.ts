import type { OpenOptions } from '../types.js';
import type { Attempt } from './attempt.js';
import { openContainerdImage } from './containerd/open.js';
import { openEngineApiImage } from './docker-engine.js';
import { engineEndpoint } from './endpoint.js';
import type { EngineName } from './sources.js';

/** Asks one local engine for an image by name. */
export function openEngineImage(engine: EngineName, name: string, options: OpenOptions): Promise<Attempt> {
  const endpoint = engineEndpoint(engine);
  switch (engine) {
    case 'docker':
    case 'podman':
      return openEngineApiImage(engine, endpoint, name, options);
    case 'containerd':
      return openContainerdImage(endpoint, name, options);
  }
}
