import { describe, expect, it } from 'vitest';
import { decideCors } from './cors.js';

describe('decideCors', () => {
  it('allows listed origins, echoing the origin', () => {
    const decision = decideCors('https://mimicbot.example', 'fn.example', ['https://mimicbot.example']);
    expect(decision).toMatchObject({ allowed: true, headers: { 'access-control-allow-origin': 'https://mimicbot.example', vary: 'Origin' } });
  });

  it("allows the page's own origin without listing it", () => {
    expect(decideCors('https://fn.example', 'fn.example', []).allowed).toBe(true);
    expect(decideCors('http://127.0.0.1:8080', '127.0.0.1:8080', []).allowed).toBe(true);
  });

  it('refuses other origins, "null" and look-alikes', () => {
    expect(decideCors('https://evil.example', 'fn.example', ['https://mimicbot.example']).allowed).toBe(false);
    expect(decideCors('null', 'fn.example', []).allowed).toBe(false);
    expect(decideCors('https://mimicbot.example.evil.com', 'fn.example', ['https://mimicbot.example']).allowed).toBe(false);
  });

  it('lets requests without Origin through (not a browser cross-origin call) and honours *', () => {
    expect(decideCors(undefined, 'fn.example', [])).toEqual({ allowed: true, headers: {} });
    expect(decideCors('https://any.example', 'fn.example', ['*']).allowed).toBe(true);
  });
});
