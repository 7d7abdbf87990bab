import { describe, expect, it } from 'vitest';
import type { IdTokenVerifier } from '@mimicbot/functions-shared';
import { checkTrigger } from './trigger-auth.js';

const account = 'scheduler@project.iam.gserviceaccount.com';
const verifier: IdTokenVerifier = async (token) => {
  if (token === 'good') return { email: account, emailVerified: true };
  if (token === 'other') return { email: 'someone@else.com', emailVerified: true };
  throw new Error('Token used too late, 1 > 0');
};

describe('checkTrigger', () => {
  it('lets in the right secret and refuses a wrong one, including a prefix of it', async () => {
    expect(await checkTrigger({ 'x-trigger-secret': 's3cret' }, { secret: 's3cret' })).toEqual({ ok: true, via: 'secret' });
    expect((await checkTrigger({ 'x-trigger-secret': 's3cre' }, { secret: 's3cret' })).ok).toBe(false);
    expect((await checkTrigger({ 'x-trigger-secret': '' }, { secret: 's3cret' })).ok).toBe(false);
  });

  it('refuses a request with neither secret nor token', async () => {
    expect(await checkTrigger({}, { secret: 's3cret', verifier, serviceAccount: account })).toEqual({
      ok: false,
      reason: 'missing x-trigger-secret header or Cloud Scheduler ID token',
    });
  });

  it("accepts Cloud Scheduler's token only from its service account", async () => {
    const options = { verifier, serviceAccount: account };
    expect(await checkTrigger({ authorization: 'Bearer good' }, options)).toEqual({ ok: true, via: 'oidc' });
    expect(await checkTrigger({ authorization: 'Bearer other' }, options)).toMatchObject({ ok: false, reason: /service account/ });
    expect(await checkTrigger({ authorization: 'Bearer expired' }, options)).toMatchObject({ ok: false, reason: /too late/ });
  });

  it('ignores a bearer token when no verifier is configured', async () => {
    expect((await checkTrigger({ authorization: 'Bearer good' }, { secret: 's3cret' })).ok).toBe(false);
  });
});
