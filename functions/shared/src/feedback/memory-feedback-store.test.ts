import { createMemoryFeedbackStore } from './memory-feedback-store.js';
import { feedbackStoreSuite } from '../testing/feedback-store-suite.js';

feedbackStoreSuite('the memory feedback store', async (retention) => createMemoryFeedbackStore(retention));
