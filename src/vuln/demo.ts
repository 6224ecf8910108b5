import { fileURLToPath } from 'node:url';

/**
 * The bundled demo advisories (`strata db import --demo`): real OSV records (see
 * data/demo-osv/SOURCE.md). `src/vuln/` and `dist/vuln/` both sit two levels below the package root.
 */
export const DEMO_OSV_DIR = fileURLToPath(new URL('../../data/demo-osv/', import.meta.url));
