/** Public surface of the Raft core. */
export * from './types.js';
export * from './errors.js';
export * from './codec.js';
export { MemoryStorage, emptyConfState } from './storage.js';
export type { Storage, InitialState } from './storage.js';
export { RawNode } from './raw-node.js';
export type { Ready, Status, RawNodeConfig, ProgressStatus } from './raw-node.js';
export type { RaftConfig } from './raft.js';
export { SeededRandom } from './raft.js';
export { PLANT_NAMES, isPlantName } from './plants.js';
export type { PlantName } from './plants.js';
export { applyConfChangeToState } from './confchange.js';
