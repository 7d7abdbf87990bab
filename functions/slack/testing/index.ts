/**
 * Test support for the Slack function's tests and other packages' tests (`@mimicbot/slack/testing`):
 * requests signed exactly as Slack signs them. Never part of the deployed bundle.
 */
export { retryHeaders, slackSignedHeaders } from './slack-signing.js';
