// The Timestamper contract lives with the RFC 3161 client in time/.
export { DEFAULT_TOKEN_RESERVE } from '../time/timestamper.js';
export type { Timestamper } from '../time/timestamper.js';
