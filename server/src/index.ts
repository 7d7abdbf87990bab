/**
 * @mimicbot/server as a library: what other packages start the real server with (the functions' tests
 * run it on a tiny model). Everything else stays inside server/src; its scripts and benchmarks import
 * their modules by path.
 */
export { parseConfig, ConfigError, DEFAULT_MODEL_DIR, type ServerConfig } from './config.js';
export { startMimicbotServer, type RunningServer, type StartOptions } from './start-server.js';
export type { OnnxEngine } from './engine/engine.js';
