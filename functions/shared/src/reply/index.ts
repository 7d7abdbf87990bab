export * from './draft.js';
export * from './judge-drafts.js';
export * from './reply-steps.js';
export * from './reply-loop.js';
export * from './compose-reply.js';
