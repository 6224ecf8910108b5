/**
 * Helm charts rendered as `helm template` renders them, so `strata config chart/` scans what would
 * be deployed. Our own Go text/template engine (template/) and Sprig functions (funcs/): npm has no
 * complete one. `@ctrl/golang-template` implements a subset (no define/include/template, no `$`
 * variables, no pipelines of functions) and `@evertdespiegeleer/go-template` wraps Go's engine in a
 * 5 MB WASM blob with no way to add Sprig or Helm's `include`/`tpl`/`required`. Compatibility is
 * measured against the real helm (helm-compat.test.ts, snippets.test.ts).
 */
export { CHART_FILE, type Chart, loadChart } from './chart.js';
export { HelmError, type HelmErrorCode } from './errors.js';
export {
  type HelmOptions,
  type RenderedTemplate,
  type RenderResult,
  renderChart,
  userValues,
} from './render.js';
export { applySet } from './set-values.js';
