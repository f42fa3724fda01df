import { toQueueMessageTexts } from '../../src/bindings/queue/queueOutput';
import { fromRpcTypedDataToItem } from '../../src/bindings/typedDataValues';

describe('queue output values', () => {
  it('sends a string as it is and an object as its JSON, base64-encoded by default', () => {
    expect(toQueueMessageTexts({ string: 'hello' }, 'base64')).toEqual(['aGVsbG8=']);
    expect(toQueueMessageTexts({ json: '{"a":1}' }, 'none')).toEqual(['{"a":1}']);
  });

  it('sends one message per element of an array, strings as they are and other elements as JSON', () => {
    expect(toQueueMessageTexts({ json: '[{"n":1},"two",3]' }, 'none')).toEqual(['{"n":1}', 'two', '3']);
    expect(toQueueMessageTexts({ collectionString: { string: ['a', 'b'] } }, 'none')).toEqual(['a', 'b']);
  });

  it('sends bytes as base64 of the bytes and numbers as their text', () => {
    expect(toQueueMessageTexts({ bytes: Uint8Array.from([1, 2, 3]) }, 'base64')).toEqual(['AQID']);
    expect(toQueueMessageTexts({ int: 5 }, 'none')).toEqual(['5']);
    expect(toQueueMessageTexts({ double: 1.5 }, 'none')).toEqual(['1.5']);
  });

  it('sends nothing for an empty value or an empty array', () => {
    expect(toQueueMessageTexts({}, 'none')).toEqual([]);
    expect(toQueueMessageTexts({ json: '[]' }, 'none')).toEqual([]);
  });

  it('gives a blob output its text or bytes', () => {
    expect(fromRpcTypedDataToItem({ string: 'text' })).toBe('text');
    expect(fromRpcTypedDataToItem({ bytes: Uint8Array.from([7]) })).toEqual(Buffer.from([7]));
    expect(fromRpcTypedDataToItem({})).toBeUndefined();
  });
});
