/** The release, reported by INFO (redis_version is the Redis version we match). This module is browser compatible. */
export const VERSION = '0.1.0';
export const REDIS_VERSION = '7.2.0';
