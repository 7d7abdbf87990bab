/**
 * Test support for the Slack function's tests and other packages' tests (`@mimicbot/slack/testing`):
 * requests signed exactly as Slack signs them, and the local stand-in for Slack's Web API (the X poster's
 * curated mode posts drafts through it in its tests). Never part of the deployed bundle.
 */
export { retryHeaders, slackSignedHeaders } from './slack-signing.js';
export { startLocalSlackApi, type LocalSlackApi, type SlackApiAnswer, type SlackApiCall } from '../src/local-slack-api.js';
