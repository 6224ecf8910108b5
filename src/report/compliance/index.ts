export { writeConfigTable } from './config-table.js';
export { renderCompliance } from './render.js';
