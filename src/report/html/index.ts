export { DOORS, type DoorId, doorOf } from './doors.js';
export { embedJson, escapeHtml } from './markup.js';
export { writeHtml } from './write.js';
