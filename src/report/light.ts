/**
 * The light entry of report/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs to register its
 * commands (flag values and help text), without the writers.
 */

/** `strata netpol matrix --format` */
export const MATRIX_FORMATS = ['table', 'json', 'dot', 'mermaid'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];
