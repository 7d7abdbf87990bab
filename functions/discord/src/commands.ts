/**
 * The application's commands, as registered with Discord (register-commands.ts) and recognised in the
 * interactions they bring (interactions.ts): one home for their names.
 */

/** `/mimic prompt:<text>`: a CHAT_INPUT command (type 1) with one required string option (type 3). */
export const MIMIC_COMMAND = 'mimic';
export const PROMPT_OPTION = 'prompt';
/** A MESSAGE command (type 3): right-click a message > Apps > "Continue this"; the message's text is the prompt. */
export const CONTINUE_COMMAND = 'Continue this';

/** The body of `PUT /applications/{id}/commands`: Discord's application command objects. */
export const COMMANDS = [
  {
    name: MIMIC_COMMAND,
    type: 1,
    description: 'Have the bot continue your words in its voice',
    options: [{ type: 3, name: PROMPT_OPTION, description: 'The words to continue', required: true, max_length: 1000 }],
  },
  { name: CONTINUE_COMMAND, type: 3 },
] as const;
