import { createHmac } from 'node:crypto';

/** Headers exactly as Slack sends them: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignedHeaders(rawBody: string, signingSecret: string, timestampSec = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return {
    'content-type': 'application/json',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': `v0=${signature}`,
  };
}

export function retryHeaders(retryNum: number, reason = 'http_timeout'): Record<string, string> {
  return { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': reason };
}
