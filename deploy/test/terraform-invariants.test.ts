/**
 * The rules deploy/terraform must keep, checked without terraform or a Google Cloud project: the .tf files
 * are parsed with HashiCorp's parser and evaluated with terraform.tfvars.example (terraform.ts), and each
 * deployable's own `parseConfig` is run against the environment Terraform gives it. Nothing here keeps a
 * second list of required variables: what a config requires and reads is found by running it.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from '@cdktn/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_COLLECTION, FEEDBACK_EXPIRY_FIELD, FIRESTORE_COLLECTION, FIRESTORE_EXPIRY_FIELD } from '@mimicbot/functions-shared';
import { parseDockerfile } from './dockerfile.js';
import { Evaluator, loadTerraform, type Block, type TerraformFiles } from './terraform.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TERRAFORM_DIR = join(ROOT, 'deploy', 'terraform');
const PROJECT_NUMBER = '123456789012';

type Env = Record<string, string | undefined>;
type ParseConfig = (env: Env) => unknown;

/** Each deployable's config module, as the code ships it. */
const FUNCTION_CONFIGS: Record<string, () => Promise<{ parseConfig: ParseConfig }>> = {
  slack: () => import('@mimicbot/slack/config'),
  twitter: () => import('@mimicbot/twitter/config'),
  demo: () => import('@mimicbot/demo/config'),
  discord: () => import('@mimicbot/discord/config'),
};
const serverConfig = () => import('@mimicbot/server/config') as Promise<{ parseConfig: ParseConfig }>;


/** A token, key, password or signing secret, by name. (MAX_TOKENS is a count, not a token.) */
const SECRET_LIKE = /(^|_)(SECRET|PASSWORD|TOKEN|KEY|KEYS|CREDENTIALS)$/;

/** What the maker stores in a secret, in the shape the config checks (Slack's bot token starts with xoxb-, Discord's key is hex). */
function secretSample(name: string): string {
  if (name === 'SLACK_BOT_TOKEN') return 'xoxb-0000-0000-sample';
  if (name === 'DISCORD_PUBLIC_KEY') return '0f'.repeat(32);
  return `sample-${name.toLowerCase()}`;
}

/** Cloud Run sends SIGKILL this long after SIGTERM; it cannot be changed. */
const CLOUD_RUN_SIGTERM_TO_SIGKILL_MS = 10_000;

let files: TerraformFiles;
let tf: Evaluator;
let variables: Record<string, unknown>;
let botName: string;

beforeAll(async () => {
  files = await loadTerraform(TERRAFORM_DIR);
  const example = (await parse('terraform.tfvars.example', await readFile(join(TERRAFORM_DIR, 'terraform.tfvars.example'), 'utf8'))) as Record<string, unknown>;
  variables = example;
  tf = new Evaluator(files, { projectNumber: PROJECT_NUMBER, variables });
  botName = String(tf.variable('bot_name'));
});

function resource(type: string, name: string): Block {
  const block = files.resources[type]?.[name];
  if (!block) throw new Error(`deploy/terraform: no ${type}.${name}`);
  return block;
}

/** A nested block (hcl2json makes every block a list); exactly one expected. */
function one(block: Block, name: string): Block {
  const list = block[name] as Block[] | undefined;
  if (!list || list.length !== 1) throw new Error(`expected one ${name} block, got ${list?.length ?? 0}`);
  return list[0];
}

interface DeployEnv {
  /** Plain environment values, evaluated. */
  plain: Record<string, string>;
  /** Environment names filled from Secret Manager -> the secret's id. */
  secrets: Record<string, string>;
}

function functionEnv(name: string): DeployEnv {
  const service = one(resource('google_cloudfunctions2_function', name), 'service_config');
  const plain = tf.value(service.environment_variables ?? {}) as Record<string, unknown>;
  const secrets = ((service.secret_environment_variables ?? []) as Block[]).map((secret) => [tf.string(secret.key), tf.string(secret.secret)] as const);
  return { plain: Object.fromEntries(Object.entries(plain).map(([key, value]) => [key, String(value)])), secrets: Object.fromEntries(secrets) };
}

function serverContainer(): Block {
  return one(one(resource('google_cloud_run_v2_service', 'server'), 'template'), 'containers');
}

function serverEnv(): DeployEnv {
  const env: DeployEnv = { plain: {}, secrets: {} };
  for (const entry of (serverContainer().env ?? []) as Block[]) {
    const name = tf.string(entry.name);
    if ('value' in entry) env.plain[name] = tf.string(entry.value);
    else env.secrets[name] = tf.string(one(one(entry, 'value_source'), 'secret_key_ref').secret);
  }
  return env;
}

/** The image's own ENV (the runtime stage of server/Dockerfile) and what Cloud Run sets. */
function imageEnv(): Record<string, string> {
  const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'server', 'Dockerfile'), 'utf8'));
  return { ...dockerfile.envs[dockerfile.finalStage], PORT: '8080', K_SERVICE: `${botName}-server` };
}

/** Runs a config's parseConfig on an env that records every name it looks at. */
function runConfig(parseConfig: ParseConfig, env: Env): { config: unknown; read: Set<string> } {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get: (target, key) => (typeof key === 'string' && read.add(key), target[key as string]),
    has: (target, key) => (typeof key === 'string' && read.add(key), key in target),
  });
  return { config: parseConfig(recording), read };
}

function withSamples(env: DeployEnv): Env {
  return { ...env.plain, ...Object.fromEntries(Object.keys(env.secrets).map((name) => [name, secretSample(name)])) };
}

/** A number field somewhere in a parsed config (its shape is the deployable's business). */
function numberIn(config: unknown, field: string): number {
  const seen: unknown[] = [config];
  while (seen.length > 0) {
    const value = seen.pop();
    if (value === null || typeof value !== 'object') continue;
    for (const [key, inner] of Object.entries(value)) {
      if (key === field && typeof inner === 'number') return inner;
      seen.push(inner);
    }
  }
  throw new Error(`the parsed config has no number ${field}`);
}

/** The account a member names: a service account of this project by its id, anything else as written. */
function account(member: string): string {
  const email = member.replace(/^serviceAccount:/, '');
  return email.replace(`@${String(tf.variable('project'))}.iam.gserviceaccount.com`, '');
}

interface Grant {
  account: string;
  role: string;
  on: string;
}

/** Every IAM grant in the stack, for_each expanded. A kind of IAM resource this does not know fails the test. */
function grants(): Grant[] {
  const onOf: Record<string, (block: Block, each: { key: string } | undefined) => string> = {
    google_project_iam_member: () => 'project',
    google_cloud_run_v2_service_iam_member: (block, each) => `service ${tf.string(block.name, { each })}`,
    google_secret_manager_secret_iam_member: (block, each) => `secret ${tf.string(block.secret_id, { each })}`,
    google_pubsub_topic_iam_member: (block, each) => `topic ${tf.string(block.topic, { each })}`,
    google_pubsub_subscription_iam_member: (block, each) => `subscription ${tf.string(block.subscription, { each })}`,
    google_service_account_iam_member: (block, each) => `service account ${account(tf.string(block.service_account_id, { each }).split('/').at(-1)!)}`,
  };
  const result: Grant[] = [];
  for (const [type, byName] of Object.entries(files.resources)) {
    if (!/_iam_/.test(type)) continue;
    const on = onOf[type];
    if (!on) throw new Error(`${type}: an IAM resource kind the invariants test does not read (use an *_iam_member kind it knows, or teach it)`);
    for (const block of Object.values(byName)) {
      // A grant turned off by a variable (count = 0) is not made.
      if (tf.count(block) === 0) continue;
      const keys = tf.forEachKeys(block);
      for (const each of keys ? keys.map((key) => ({ key })) : [undefined]) {
        result.push({ account: account(tf.string(block.member, { each })), role: tf.string(block.role, { each }), on: on(block, each) });
      }
    }
  }
  return result;
}

const FUNCTIONS = ['slack', 'twitter', 'demo', 'discord'] as const;
const functionName = (name: string) => tf.string(resource('google_cloudfunctions2_function', name).name);
/** Cloud Run's deterministic URL of a gen2 function's service. */
const functionUrl = (name: string) => `https://${functionName(name)}-${PROJECT_NUMBER}.${tf.string(resource('google_cloudfunctions2_function', name).location)}.run.app`;

describe('deploy/terraform', () => {
  it('parses with HashiCorp\'s parser, and terraform.tfvars.example sets every variable without a default', () => {
    expect(Object.keys(files.resources).length).toBeGreaterThan(10);
    const required = Object.entries(files.variables).filter(([, block]) => !('default' in block)).map(([name]) => name);
    expect(required.sort()).toEqual(['project', 'server_image']);
    for (const name of required) expect(variables, name).toHaveProperty(name);
  });

  for (const name of FUNCTIONS) {
    it(`gives the ${name} function an environment its own parseConfig accepts, every name of it read`, async () => {
      const env = functionEnv(name);
      const { parseConfig } = await FUNCTION_CONFIGS[name]();
      const { config, read } = runConfig(parseConfig, withSamples(env));
      // Every name Terraform sets must be read by the config, so a misspelt one fails here.
      const unread = [...Object.keys(env.plain), ...Object.keys(env.secrets)].filter((key) => !read.has(key));
      expect(unread, `set by Terraform but never read by functions/${name}'s config`).toEqual([]);
      // The functions call the private server with ID tokens for its own URL.
      expect(env.plain.MODEL_ENDPOINT).toBe(tf.string('${google_cloud_run_v2_service.server.uri}'));
      expect(env.plain.MODEL_AUDIENCE).toBe(env.plain.MODEL_ENDPOINT);
      expect(env.plain.STORE).toBe('firestore');
      // Room for at least one whole model call before the platform cuts the request off.
      const timeoutSeconds = Number(tf.value(one(resource('google_cloudfunctions2_function', name), 'service_config').timeout_seconds));
      expect(timeoutSeconds * 1000).toBeGreaterThan(numberIn(config, 'modelTimeoutMs'));
    });
  }

  it("gives the server an environment its parseConfig accepts, whose drain ends before Cloud Run's SIGKILL", async () => {
    const env = serverEnv();
    const { parseConfig } = await serverConfig();
    const { config, read } = runConfig(parseConfig, { ...imageEnv(), ...withSamples(env) });
    expect([...Object.keys(env.plain), ...Object.keys(env.secrets)].filter((key) => !read.has(key))).toEqual([]);
    expect(imageEnv().MODEL_DIR).toBe('/app/model');
    // The drain, then the process's own exit, within Cloud Run's fixed 10 s; a second to spare.
    expect(numberIn(config, 'shutdownGraceMs')).toBeLessThanOrEqual(CLOUD_RUN_SIGTERM_TO_SIGKILL_MS - 1000);
    const template = one(resource('google_cloud_run_v2_service', 'server'), 'template');
    // Cloud Run never sends more at once than the server batches plus queues (it would answer 429).
    expect(Number(tf.value(template.max_instance_request_concurrency))).toBeLessThanOrEqual(numberIn(config, 'maxBatch') + numberIn(config, 'queueSize'));
    // The server's own timeout answers first (504 with a JSON body), not Cloud Run's.
    expect(Number.parseInt(tf.string(template.timeout), 10) * 1000).toBeGreaterThan(numberIn(config, 'requestTimeoutMs'));
  });

  it('takes every secret-like variable from Secret Manager, never as a plain value', () => {
    const deployables: [string, DeployEnv][] = [...FUNCTIONS.map((name) => [name, functionEnv(name)] as [string, DeployEnv]), ['server', serverEnv()]];
    for (const [name, env] of deployables) {
      expect(Object.keys(env.plain).filter((key) => SECRET_LIKE.test(key)), `${name}: secret-like names set as plain values`).toEqual([]);
      for (const [key, secretId] of Object.entries(env.secrets)) {
        expect(key, `${name}: ${key} comes from a secret but its name does not say so`).toMatch(SECRET_LIKE);
        expect(secretId).toMatch(new RegExp(`^${botName}-`));
      }
    }
    // And those secrets are the ones Terraform creates (no versions: the maker adds the values outside Terraform).
    const created = tf.forEachKeys(resource('google_secret_manager_secret', 'secret'))!.map((key) => `${botName}-${key}`);
    const mounted = deployables.flatMap(([, env]) => Object.values(env.secrets));
    expect([...new Set(mounted)].sort()).toEqual([...created].sort());
    expect(files.resources.google_secret_manager_secret_version).toBeUndefined();
  });

  it('runs each function as its own service account, which reads exactly the secrets its function mounts', () => {
    const accounts = FUNCTIONS.map((name) => account(tf.string(one(resource('google_cloudfunctions2_function', name), 'service_config').service_account_email)));
    expect(new Set(accounts).size).toBe(FUNCTIONS.length);
    const secretReads = grants().filter((grant) => grant.role === 'roles/secretmanager.secretAccessor');
    FUNCTIONS.forEach((name, index) => {
      const mounted = Object.values(functionEnv(name).secrets).map((id) => `secret ${id}`).sort();
      expect(secretReads.filter((grant) => grant.account === accounts[index]).map((grant) => grant.on).sort(), name).toEqual(mounted);
    });
  });

  it('keeps the model server private: its invokers are exactly the functions\' accounts', () => {
    const server = resource('google_cloud_run_v2_service', 'server');
    expect(tf.value(server.invoker_iam_disabled ?? false), 'invoker_iam_disabled lets anyone call the server').toBe(false);
    const serverName = tf.string(server.name);
    const invokers = grants().filter((grant) => grant.on === `service ${serverName}`);
    expect(invokers.every((grant) => grant.role === 'roles/run.invoker')).toBe(true);
    const functionAccounts = FUNCTIONS.map((name) => account(tf.string(one(resource('google_cloudfunctions2_function', name), 'service_config').service_account_email)));
    expect(invokers.map((grant) => grant.account).sort(), `who may invoke service ${serverName}`).toEqual([...functionAccounts].sort());
    // Nothing grants anyone the right to invoke everything in the project.
    expect(grants().filter((grant) => grant.on === 'project' && grant.role.startsWith('roles/run.'))).toEqual([]);
  });

  it('makes only the Slack, Discord and demo functions public; the X function (post_mode auto) answers only the Scheduler\'s account', () => {
    const publicOn = grants().filter((grant) => grant.account === 'allUsers' || grant.account === 'allAuthenticatedUsers');
    expect(publicOn.map((grant) => `${grant.role} ${grant.on}`).sort(), 'grants to allUsers / allAuthenticatedUsers').toEqual(
      ['demo', 'discord', 'slack'].map((name) => `roles/run.invoker service ${functionName(name)}`).sort(),
    );
    const scheduler = one(one(resource('google_cloud_scheduler_job', 'post'), 'http_target'), 'oidc_token');
    const twitterInvokers = grants().filter((grant) => grant.on === `service ${functionName('twitter')}`);
    expect(twitterInvokers.map((grant) => `${grant.account} ${grant.role}`)).toEqual([`${account(tf.string(scheduler.service_account_email))} roles/run.invoker`]);
  });

  it("with post_mode = curated, makes the X function public for Slack's button clicks, which its config then checks", async () => {
    const auto = tf;
    tf = new Evaluator(files, { projectNumber: PROJECT_NUMBER, variables: { ...variables, post_mode: 'curated', curated_channel: 'C0CURATE01' } });
    try {
      const publicOn = grants().filter((grant) => grant.account === 'allUsers').map((grant) => grant.on);
      expect(publicOn).toContain(`service ${functionName('twitter')}`);
      const { parseConfig } = await FUNCTION_CONFIGS.twitter();
      const config = parseConfig(withSamples(functionEnv('twitter'))) as { curated?: { channel: string; signingSecret: string } };
      // Curated mode needs the Slack app's secrets: the clicks are checked with its signing secret.
      expect(config.curated).toMatchObject({ channel: 'C0CURATE01', signingSecret: secretSample('SLACK_SIGNING_SECRET') });
      expect(tf.string(files.outputs.slack_interactivity_url.value)).toBe(`${functionUrl('twitter')}/slack/actions`);
    } finally {
      tf = auto;
    }
  });

  it('gives each function the persona its variable names: MODEL_NAME for Slack, X and Discord, one or two MODEL_NAMES for the demo', async () => {
    const plain = tf;
    tf = new Evaluator(files, {
      projectNumber: PROJECT_NUMBER,
      variables: { ...variables, slack_model: 'bot-a', x_model: 'bot-b', discord_model: 'bot-a', demo_models: 'bot-a,bot-b' },
    });
    try {
      for (const [fn, model] of [['slack', 'bot-a'], ['twitter', 'bot-b'], ['discord', 'bot-a']] as const) {
        const { parseConfig } = await FUNCTION_CONFIGS[fn]();
        expect((parseConfig(withSamples(functionEnv(fn))) as { shared: { modelName?: string } }).shared.modelName, fn).toBe(model);
      }
      const { parseConfig } = await FUNCTION_CONFIGS.demo();
      expect((parseConfig(withSamples(functionEnv('demo'))) as { modelNames: string[] }).modelNames).toEqual(['bot-a', 'bot-b']);
    } finally {
      tf = plain;
    }
  });

  it("has the Scheduler call the X function's URL with an OIDC token for that URL, which the function expects", () => {
    const job = resource('google_cloud_scheduler_job', 'post');
    const target = one(job, 'http_target');
    const oidc = one(target, 'oidc_token');
    const url = functionUrl('twitter');
    expect(tf.string(target.uri)).toBe(url);
    expect(tf.string(oidc.audience)).toBe(url);
    expect(tf.string(job.schedule)).toBe(tf.variable('schedule'));
    const env = functionEnv('twitter').plain;
    expect(env.SCHEDULER_AUDIENCE).toBe(url);
    expect(env.SCHEDULER_SERVICE_ACCOUNT).toBe(tf.string(oidc.service_account_email));
    expect(target).not.toHaveProperty('oauth_token');
  });

  for (const [platform, subscriptionName, topicName] of [['slack', 'slack_worker', 'slack_events'], ['discord', 'discord_worker', 'discord_commands']] as const) {
  it(`pushes ${platform} work to the worker's URL with an OIDC token for it, which the function checks, and dead-letters what never succeeds`, () => {
    const subscription = resource('google_pubsub_subscription', subscriptionName);
    const push = one(subscription, 'push_config');
    const oidc = one(push, 'oidc_token');
    const worker = `${functionUrl(platform)}/${platform}/worker`;
    expect(tf.string(push.push_endpoint)).toBe(worker);
    expect(tf.string(oidc.audience)).toBe(worker);
    const env = functionEnv(platform).plain;
    const prefix = platform.toUpperCase();
    expect(env[`${prefix}_WORKER_AUDIENCE`]).toBe(worker);
    expect(env[`${prefix}_WORKER_SERVICE_ACCOUNT`]).toBe(tf.string(oidc.service_account_email));
    expect(env[`${prefix}_TOPIC`]).toBe(tf.string(resource('google_pubsub_topic', topicName).name));
    // The worker's last delivery, the one that apologises, is the subscription's last.
    expect(env[`${prefix}_MAX_DELIVERY_ATTEMPTS`]).toBe(String(tf.value(one(subscription, 'dead_letter_policy').max_delivery_attempts)));
    expect(tf.string(subscription.topic)).toBe(`projects/${String(tf.variable('project'))}/topics/${env[`${prefix}_TOPIC`]}`);

    // Pub/Sub never gives up on a push while the worker may still be working on it.
    const service = one(resource('google_cloudfunctions2_function', platform), 'service_config');
    expect(Number(tf.value(subscription.ack_deadline_seconds))).toBeGreaterThanOrEqual(Number(tf.value(service.timeout_seconds)));

    // The dead-letter policy works only if Pub/Sub's own agent may publish there and ack here.
    const deadLetterTopic = tf.string(one(subscription, 'dead_letter_policy').dead_letter_topic).split('/').at(-1);
    const agent = `service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    const agentGrants = grants().filter((grant) => grant.account === agent).map((grant) => `${grant.role} ${grant.on}`);
    expect(agentGrants).toContain(`roles/pubsub.publisher topic ${deadLetterTopic}`);
    expect(agentGrants).toContain(`roles/pubsub.subscriber subscription ${tf.string(subscription.name)}`);
  });
}

  it('keeps the store in a Native-mode Firestore database with a TTL policy on the expiry field, the one the functions name', () => {
    const database = resource('google_firestore_database', 'store');
    expect(tf.value(database.type)).toBe('FIRESTORE_NATIVE');
    const ttl = resource('google_firestore_field', 'expiry');
    expect(ttl.ttl_config).toHaveLength(1);
    expect(tf.string(ttl.database)).toBe(tf.string(database.name));
    expect(tf.string(ttl.collection)).toBe(FIRESTORE_COLLECTION);
    expect(tf.string(ttl.field)).toBe(FIRESTORE_EXPIRY_FIELD);
    for (const name of FUNCTIONS) expect(functionEnv(name).plain.FIRESTORE_DATABASE, name).toBe(tf.string(database.name));
  });

  it('expires feedback by a TTL policy on the field the feedback store writes, in the same database', () => {
    const ttl = resource('google_firestore_field', 'feedback_expiry');
    expect(ttl.ttl_config).toHaveLength(1);
    expect(tf.string(ttl.database)).toBe(tf.string(resource('google_firestore_database', 'store').name));
    expect(tf.string(ttl.collection)).toBe(FEEDBACK_COLLECTION);
    expect(tf.string(ttl.field)).toBe(FEEDBACK_EXPIRY_FIELD);
  });

  it('sizes the server as documented: min instances, concurrency, CPU boost, memory from model_mb, a startup probe on /readyz', () => {
    const template = one(resource('google_cloud_run_v2_service', 'server'), 'template');
    const container = serverContainer();
    const resources = one(container, 'resources');
    expect(tf.value(one(template, 'scaling').min_instance_count)).toBe(tf.variable('server_min_instances'));
    expect(tf.value(template.max_instance_request_concurrency)).toBe(tf.variable('server_concurrency'));
    expect(tf.value(resources.startup_cpu_boost)).toBe(true);
    expect((resources.limits as Record<string, string>).memory).toBe('${local.server_memory_gib}Gi');
    // The rule in the variable's description is the rule in the code.
    expect(files.locals.server_memory_gib).toBe('${max(1, ceil((512 + 3 * var.model_mb) / 1024))}');
    expect(String(files.variables.model_mb.description)).toContain('max(1, ceil((512 + 3 * model_mb) / 1024)) GiB');
    const probe = one(one(container, 'startup_probe'), 'http_get');
    expect(tf.value(probe.path)).toBe('/readyz');
  });

  it('grants each service account exactly the roles the README lists', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Service accounts and their roles'));
    expect(section.length).toBeLessThan(readme.length);
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
    const listed = [...table.matchAll(/^\|\s*`([^`]+)`\s*\|\s*`(roles\/[^`]+)`\s*\|\s*(.+?)\s*\|$/gm)].map(
      ([, who, role, on]) => `${who.replaceAll('BOT', botName).replaceAll('PROJECT_NUMBER', PROJECT_NUMBER)} | ${role} | ${on.replaceAll('`', '').replaceAll('BOT', botName)}`,
    );
    expect(listed.length).toBeGreaterThan(10);
    const granted = grants().map((grant) => `${grant.account} | ${grant.role} | ${grant.on}`);
    expect([...new Set(granted)].sort(), 'grants in deploy/terraform (left) against the README\'s table').toEqual([...new Set(listed)].sort());
  });
});
