/**
 * What an interaction request asks for, read from Discord's payload (after its signature was checked):
 * a PING, one of our commands with its prompt, or something this bot does not handle. Pure: JSON in, a
 * small tagged value out.
 */
import { CONTINUE_COMMAND, MIMIC_COMMAND, PROMPT_OPTION } from './commands.js';

/** Discord's interaction types and command types, by their wire numbers. */
const PING = 1;
const APPLICATION_COMMAND = 2;
const CHAT_INPUT = 1;
const MESSAGE = 3;

export type Interaction =
  | { kind: 'ping' }
  | { kind: 'command'; command: string; interactionId: string; applicationId: string; token: string; prompt: string }
  | { kind: 'unsupported'; what: string };

export class InteractionError extends Error {
  readonly code = 'interaction_invalid';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'InteractionError';
  }
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InteractionError(`${field} must be an object`, field);
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new InteractionError(`${field} must be a non-empty string`, field);
  return value;
}

export function readInteraction(body: unknown): Interaction {
  const interaction = object(body, 'body');
  if (interaction.type === PING) return { kind: 'ping' };
  if (interaction.type !== APPLICATION_COMMAND) return { kind: 'unsupported', what: `interaction type ${JSON.stringify(interaction.type)}` };
  const data = object(interaction.data, 'data');
  const ids = {
    interactionId: string(interaction.id, 'id'),
    applicationId: string(interaction.application_id, 'application_id'),
    token: string(interaction.token, 'token'),
  };
  const name = string(data.name, 'data.name');
  if (data.type === CHAT_INPUT && name === MIMIC_COMMAND) {
    const options = Array.isArray(data.options) ? (data.options as unknown[]) : [];
    const prompt = options.map((option, i) => object(option, `data.options[${i}]`)).find((option) => option.name === PROMPT_OPTION)?.value;
    if (typeof prompt !== 'string') throw new InteractionError(`/${MIMIC_COMMAND} needs its ${PROMPT_OPTION} option, a string`, 'data.options');
    return { kind: 'command', command: MIMIC_COMMAND, ...ids, prompt };
  }
  if (data.type === MESSAGE && name === CONTINUE_COMMAND) {
    const targetId = string(data.target_id, 'data.target_id');
    const messages = object(object(data.resolved, 'data.resolved').messages, 'data.resolved.messages');
    const content = object(messages[targetId], `data.resolved.messages.${targetId}`).content;
    if (typeof content !== 'string') throw new InteractionError('the target message has no content string', `data.resolved.messages.${targetId}.content`);
    return { kind: 'command', command: CONTINUE_COMMAND, ...ids, prompt: content };
  }
  return { kind: 'unsupported', what: `command ${JSON.stringify(name)}` };
}
