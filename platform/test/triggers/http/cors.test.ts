import { allowedOrigin } from '../../../src/triggers/http/cors';

describe('allowedOrigin', () => {
  it('allows listed origins ignoring case and a trailing slash, and nothing else', () => {
    const policy = { origins: ['https://app.example/', 'http://localhost:3000'], credentials: false };

    expect(allowedOrigin(policy, 'https://APP.example')).toBe('https://APP.example');
    expect(allowedOrigin(policy, 'http://localhost:3000')).toBe('http://localhost:3000');
    expect(allowedOrigin(policy, 'http://localhost:3001')).toBeUndefined();
  });

  it("answers '*' for a wildcard, but echoes the origin when credentials are allowed", () => {
    expect(allowedOrigin({ origins: ['*'], credentials: false }, 'http://a.example')).toBe('*');
    expect(allowedOrigin({ origins: ['*'], credentials: true }, 'http://a.example')).toBe('http://a.example');
  });
});
