/**
 * Google's ID-token signing, reproduced on 127.0.0.1: an RSA key pair, its public key served the way
 * `https://www.googleapis.com/oauth2/v1/certs` serves them (`{kid: PEM}` with a cache-control max-age), and
 * RS256 JWTs shaped like the OIDC tokens Cloud Scheduler and Pub/Sub push send. The real google-auth-library verifies them.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export class FakeGoogleCerts {
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = 'fake-kid-1';
  private server: Server | undefined;
  certsUrl = '';

  async start(): Promise<string> {
    const pem = this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' });
      res.end(JSON.stringify({ [this.kid]: pem }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.certsUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/oauth2/v1/certs`;
    return this.certsUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** An ID token as Cloud Scheduler or Pub/Sub gets it from Google for a service account. */
  idToken(claims: { aud: string; email: string; expiresInS?: number; signWith?: 'google' | 'stranger' }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', kid: this.kid, typ: 'JWT' };
    const payload = {
      iss: 'https://accounts.google.com',
      aud: claims.aud,
      azp: '1234567890',
      sub: '1234567890',
      email: claims.email,
      email_verified: true,
      iat: now,
      exp: now + (claims.expiresInS ?? 3600),
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const key = claims.signWith === 'stranger' ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : this.keys.privateKey;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
    return `${signingInput}.${base64url(signature)}`;
  }
}
