/** Slack user, channel and special mentions as they appear in message text: `<@U123>`, `<@U123|name>`, `<!here>`. */
const BOT_MENTION = (botUserId: string) => new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g');

/**
 * The prompt in a message addressed to the bot: the text without the bot's own mention(s), with Slack's
 * escaping undone (`&lt;` `&gt;` `&amp;`) and whitespace collapsed. Other users' mentions are kept.
 */
export function promptFromMessage(text: string | undefined, botUserId: string): string {
  return (text ?? '')
    .replace(BOT_MENTION(botUserId), ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
