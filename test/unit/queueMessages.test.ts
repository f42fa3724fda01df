import { fromQueueMessageText, toQueueMessageText } from '../../lib/queueMessages';

describe('queue message text', () => {
  it('encodes as base64 and decodes back, including non-ASCII text', () => {
    const text = '{"orderId":"o-1","note":"café ☕"}';

    expect(toQueueMessageText(text)).toBe(Buffer.from(text).toString('base64'));
    expect(fromQueueMessageText(toQueueMessageText(text))).toBe(text);
  });

  it('returns text that is not base64 as it is', () => {
    expect(fromQueueMessageText('{"orderId":"o-1"}')).toBe('{"orderId":"o-1"}');
    expect(fromQueueMessageText('not base64!')).toBe('not base64!');
    expect(fromQueueMessageText('')).toBe('');
  });
});
