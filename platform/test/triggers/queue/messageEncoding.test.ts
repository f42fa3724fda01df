import { fromQueueMessageText, toQueueMessageText, toUtf8Text } from '../../../src/triggers/queue/messageEncoding';

describe('queue message encoding', () => {
  it('decodes base64 message text into the body bytes', () => {
    const text = Buffer.from('{"a":1}').toString('base64');

    expect(fromQueueMessageText(text, 'base64')?.toString('utf8')).toBe('{"a":1}');
  });

  it('ignores whitespace in base64 text, as .NET does', () => {
    expect(fromQueueMessageText('aGVs\nbG8=', 'base64')?.toString('utf8')).toBe('hello');
  });

  it('reports text that is not base64 as undecodable', () => {
    expect(fromQueueMessageText('{"a":1}', 'base64')).toBeUndefined();
    expect(fromQueueMessageText('hello', 'base64')).toBeUndefined();
    expect(fromQueueMessageText('ab=c', 'base64')).toBeUndefined();
  });

  it('takes the text itself as the body with encoding none', () => {
    expect(fromQueueMessageText('{"a":1}', 'none')?.toString('utf8')).toBe('{"a":1}');
  });

  it('encodes text and bytes as base64, and passes text through with encoding none', () => {
    expect(toQueueMessageText('hello', 'base64')).toBe('aGVsbG8=');
    expect(toQueueMessageText(Buffer.from([0xff, 0x00]), 'base64')).toBe('/wA=');
    expect(toQueueMessageText('héllo', 'none')).toBe('héllo');
  });

  it('round-trips any body through base64', () => {
    const body = Buffer.from([0, 1, 2, 250, 251, 252]);

    expect(fromQueueMessageText(toQueueMessageText(body, 'base64'), 'base64')).toEqual(body);
  });

  it('gives text only for valid UTF-8 bodies', () => {
    expect(toUtf8Text(Buffer.from('grüße'))).toBe('grüße');
    expect(toUtf8Text(Buffer.from([0xc3, 0x28]))).toBeUndefined();
  });
});
