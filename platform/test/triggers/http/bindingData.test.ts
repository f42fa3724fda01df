import { toHttpBindingData } from '../../../src/triggers/http/bindingData';

describe('toHttpBindingData', () => {
  const base = { values: { id: '42' }, query: { v: '1' }, headers: { 'content-type': 'application/json' } };

  it('offers route values, Query, Headers and the properties of a JSON object body, route values winning', () => {
    const data = toHttpBindingData({ ...base, body: Buffer.from('{"id":"from-body","order":{"n":3}}') });

    expect(data).toEqual({ id: '42', order: { n: 3 }, Query: { v: '1' }, Headers: base.headers });
  });

  it('ignores bodies that are not JSON objects', () => {
    expect(toHttpBindingData({ ...base, body: Buffer.from('[1,2]') })).not.toHaveProperty('0');
    expect(toHttpBindingData({ ...base, body: Buffer.from('{broken') })).toEqual({
      id: '42',
      Query: { v: '1' },
      Headers: base.headers,
    });
    const text = { ...base, headers: { 'content-type': 'text/plain' }, body: Buffer.from('{"a":1}') };
    expect(toHttpBindingData(text)).not.toHaveProperty('a');
  });
});
