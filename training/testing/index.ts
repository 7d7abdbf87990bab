/**
 * Test support for packages that exercise the training toolchain: local stand-ins for the services it talks
 * to over the network, speaking their wire formats. Imported as `@mimicbot/training/testing`; nothing in the
 * toolchain itself imports this.
 */
export { startFakeX, type FakeTweet, type FakeX, type FakeXOptions } from './fake-x-server.js';
export { startFakeHub, type FakeHub, type FakeHubOptions, type FakeRepo, type HubRequestLog } from './fake-hub-server.js';
