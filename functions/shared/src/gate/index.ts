export * from './gate-settings.js';
export * from './repetition.js';
export * from './degenerate-steps.js';
export * from './prompt-steps.js';
export * from './cut-at-length.js';
export * from './kept-tokens.js';
export * from './rank-drafts.js';
export * from './gate-steps.js';
