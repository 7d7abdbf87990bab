export * from './feedback-store.js';
export * from './memory-feedback-store.js';
