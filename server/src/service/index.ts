export { generateText, type TextGenerationRequest, type TextGenerationResult, type TextDeps } from './generate-text.js';
export { runCompletions, type CompletionJob, type CompletionOutcome, type ServiceDeps } from './completions.js';
export { runMillzbot, MAX_EMPTY_RETRIES, type MillzbotJob, type MillzbotOutcome } from './millzbot.js';
export { encodePrompt, type PromptLimits } from './prompt.js';
export { FieldError } from './errors.js';
