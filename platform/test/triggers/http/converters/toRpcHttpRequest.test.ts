import { headerMap, queryMap, toRpcHttpRequest } from '../../../../src/triggers/http/converters/toRpcHttpRequest';

describe('toRpcHttpRequest', () => {
  const base = {
    method: 'POST',
    url: 'http://localhost:7071/api/orders/42?verbose=1',
    headers: { 'content-type': 'application/json', 'x-tag': 'a,b' },
    query: { verbose: '1', k: '1,2', blank: '' },
    params: { id: '42' },
  };

  it('encodes the request as the host does: lower-case headers, nullable maps and a bytes body', () => {
    const body = Buffer.from('{"a":1}');

    expect(toRpcHttpRequest({ ...base, body })).toEqual({
      http: {
        method: 'POST',
        url: 'http://localhost:7071/api/orders/42?verbose=1',
        nullableHeaders: { 'content-type': { value: 'application/json' }, 'x-tag': { value: 'a,b' } },
        nullableQuery: { verbose: { value: '1' }, k: { value: '1,2' }, blank: { value: '' } },
        nullableParams: { id: { value: '42' } },
        body: { bytes: body },
      },
    });
  });

  it('joins repeated headers and query values with a comma and drops empty headers, as the host does', () => {
    expect(headerMap(['Content-Type', 'text/plain', 'X-Tag', 'a', 'x-tag', 'b', 'X-Empty', ''])).toEqual({
      'content-type': 'text/plain',
      'x-tag': 'a,b',
    });
    expect(queryMap(new URLSearchParams('k=1&k=2&blank=&n=%20x'))).toEqual({ k: '1,2', blank: '', n: ' x' });
  });

  it('sends no body when the request has none', () => {
    expect(toRpcHttpRequest({ ...base, body: undefined }).http).not.toHaveProperty('body');
    expect(toRpcHttpRequest({ ...base, body: Buffer.alloc(0) }).http).not.toHaveProperty('body');
  });
});
