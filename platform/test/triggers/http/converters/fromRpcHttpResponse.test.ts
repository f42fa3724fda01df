import { InvalidHttpResponseError } from '../../../../src/triggers/http/errors';
import { fromRpcHttpResponse, toSetCookieHeader } from '../../../../src/triggers/http/converters/fromRpcHttpResponse';

describe('fromRpcHttpResponse', () => {
  it('decodes status, headers, cookies and the bytes body the library sends', () => {
    const parts = fromRpcHttpResponse({
      http: {
        statusCode: '201',
        headers: { 'Content-Type': 'application/json', 'content-length': '999', 'x-a': 'b' },
        cookies: [{ name: 'a', value: 'b', sameSite: 'none' }],
        enableContentNegotiation: false,
        body: { bytes: new Uint8Array([123, 125]) },
      },
    });

    expect(parts).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-a': 'b', 'set-cookie': ['a=b'] },
      body: Buffer.from('{}'),
    });
  });

  it('answers 204 No Content when the function returned nothing', () => {
    expect(fromRpcHttpResponse(undefined)).toEqual({ status: 204, headers: {}, body: Buffer.alloc(0) });
    expect(fromRpcHttpResponse(null).status).toBe(204);
    expect(fromRpcHttpResponse({}).status).toBe(204);
  });

  it('defaults the status to 200 and accepts string bodies', () => {
    const parts = fromRpcHttpResponse({ http: { body: { string: 'hi' } } });

    expect(parts.status).toBe(200);
    expect(parts.body.toString()).toBe('hi');
  });

  it('refuses a status that is not an HTTP status code', () => {
    expect(() => fromRpcHttpResponse({ http: { statusCode: 'teapot' } })).toThrow(InvalidHttpResponseError);
    expect(() => fromRpcHttpResponse({ http: { statusCode: '42' } })).toThrow("but is '42'");
  });
});

describe('toSetCookieHeader', () => {
  it('writes every attribute the library can send, escaping name and value', () => {
    const header = toSetCookieHeader({
      name: 'my cookie',
      value: "a;b=c'",
      domain: { value: 'example.com' },
      path: { value: '/app' },
      expires: { value: { seconds: 0 } },
      maxAge: { value: 60 },
      secure: { value: true },
      httpOnly: { value: true },
      sameSite: 'explicitNone',
    });

    expect(header).toBe(
      'my%20cookie=a%3Bb%3Dc%27; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=60; domain=example.com; ' +
        'path=/app; secure; samesite=none; httponly',
    );
  });

  it('writes SameSite only when the function chose one', () => {
    expect(toSetCookieHeader({ name: 'a', value: '1', sameSite: 'lax' })).toBe('a=1; samesite=lax');
    expect(toSetCookieHeader({ name: 'a', value: '1', sameSite: 'none' })).toBe('a=1');
  });
});
