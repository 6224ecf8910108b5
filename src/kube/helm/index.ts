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
