/** The release numbers (kept in the core, which reports them in INFO and HELLO). */
export { REDIS_VERSION, VERSION } from './core/version.js';
