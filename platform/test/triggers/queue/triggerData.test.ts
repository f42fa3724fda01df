import { toDotNetDateText, toQueueTriggerData } from '../../../src/triggers/queue/triggerData';

const message = {
  messageId: 'm-1',
  popReceipt: 'receipt-1',
  dequeueCount: 2,
  messageText: 'ignored here',
  insertedOn: new Date('2024-05-01T10:00:00.000Z'),
  expiresOn: new Date('2024-05-08T10:00:00.250Z'),
  nextVisibleOn: new Date('2024-05-01T10:10:00.000Z'),
};
const now = new Date('2024-05-01T10:00:05.000Z');

describe('queue trigger data', () => {
  it('sends the body as a string and the metadata with the types the host uses', () => {
    const data = toQueueTriggerData(message, Buffer.from('{"orderId":7}'), now);

    expect(data.trigger).toEqual({ string: '{"orderId":7}' });
    expect(data.triggerMetadata).toEqual({
      QueueTrigger: { string: '{"orderId":7}' },
      DequeueCount: { json: '2' },
      Id: { string: 'm-1' },
      PopReceipt: { string: 'receipt-1' },
      InsertionTime: { json: '"2024-05-01T10:00:00+00:00"' },
      ExpirationTime: { json: '"2024-05-08T10:00:00.25+00:00"' },
      NextVisibleTime: { json: '"2024-05-01T10:10:00+00:00"' },
    });
  });

  it('offers the properties of a JSON object body and the metadata as binding data', () => {
    const data = toQueueTriggerData(message, Buffer.from('{"orderId":7,"customer":{"id":"c"}}'), now);

    expect(data.bindingData).toMatchObject({ orderId: 7, customer: { id: 'c' }, Id: 'm-1', DequeueCount: 2 });
  });

  it('sends a body that is not UTF-8 as bytes and leaves QueueTrigger out', () => {
    const body = Buffer.from([0xc3, 0x28]);

    const data = toQueueTriggerData(message, body, now);

    expect(data.trigger).toEqual({ bytes: body });
    expect(data.triggerMetadata.QueueTrigger).toBeUndefined();
  });

  it('uses the insertion time of now and the .NET maximum date when the service leaves times out', () => {
    const bare = { messageId: 'm', popReceipt: 'r', dequeueCount: 1, messageText: '' };

    const data = toQueueTriggerData(bare, Buffer.from('x'), now);

    expect(data.triggerMetadata.InsertionTime).toEqual({ json: '"2024-05-01T10:00:05+00:00"' });
    expect(data.triggerMetadata.ExpirationTime).toEqual({ json: '"9999-12-31T23:59:59.9999999+00:00"' });
  });

  it('writes times as Json.NET writes a UTC DateTimeOffset', () => {
    expect(toDotNetDateText(new Date('2024-05-01T10:00:10.000Z'))).toBe('2024-05-01T10:00:10+00:00');
    expect(toDotNetDateText(new Date('2024-05-01T10:00:00.120Z'))).toBe('2024-05-01T10:00:00.12+00:00');
  });
});
