export * from './feedback-store.js';
export * from './memory-feedback-store.js';
export * from './firestore-feedback-store.js';
export * from './voter-digest.js';
export * from './feedback-config.js';
export * from './feedback-store-from-config.js';
export * from './served-reply.js';
