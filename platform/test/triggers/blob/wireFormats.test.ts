import {
  BlobTriggerMessageFormatError,
  fromBlobTriggerMessageJson,
  fromQueueText,
  toBlobTriggerMessageJson,
  toHeaderETag,
  toMessageETag,
  toQueueText,
} from '../../../src/triggers/blob/blobTriggerMessage';
import { toBlobTriggerData } from '../../../src/triggers/blob/blobTriggerMetadata';
import { fromEventGridDelivery, toBlobLocation } from '../../../src/triggers/blob/eventGridEvents';

const where = { queueName: 'azure-webjobs-blobtrigger-h', messageId: 'm1' };

describe('blob trigger message', () => {
  it('has the real host field order and round-trips through base64 queue text', () => {
    const message = {
      functionId: 'Host.Functions.resize',
      blobType: 'BlockBlob' as const,
      containerName: 'images',
      blobName: 'a/b.png',
      eTag: '"0x8D1"',
    };

    const json = toBlobTriggerMessageJson(message);

    expect(json).toBe(
      '{"Type":"BlobTrigger","FunctionId":"Host.Functions.resize","BlobType":"BlockBlob","ContainerName":"images",' +
        '"BlobName":"a/b.png","ETag":"\\"0x8D1\\""}',
    );
    expect(fromBlobTriggerMessageJson(fromQueueText(toQueueText(json)), where)).toEqual(message);
  });

  it('writes ETags without the header quotes, and quotes them again for If-Match', () => {
    expect(toMessageETag('"0x8D1DC6E70A277EF"')).toBe('0x8D1DC6E70A277EF');
    expect(toHeaderETag('0x8D1DC6E70A277EF')).toBe('"0x8D1DC6E70A277EF"');
    expect(toHeaderETag('"0x1"')).toBe('"0x1"');
  });

  it('reads plain JSON queue text too', () => {
    expect(fromQueueText('{"a":1}')).toBe('{"a":1}');
  });

  it('names the queue, message and field when a message is not a blob trigger message', () => {
    expect(() => fromBlobTriggerMessageJson('{"Type":"Other"}', where)).toThrow(BlobTriggerMessageFormatError);
    expect(() =>
      fromBlobTriggerMessageJson('{"Type":"BlobTrigger","BlobType":"BlockBlob","FunctionId":""}', where),
    ).toThrow(/'m1' on queue 'azure-webjobs-blobtrigger-h'.*"FunctionId" is ""/);
  });
});

describe('toBlobTriggerData', () => {
  it('sends BlobTrigger, Uri, Properties, Metadata and the pattern tokens', () => {
    const data = toBlobTriggerData({
      container: 'images',
      blobName: 'cat.png',
      url: 'http://127.0.0.1:1/devstoreaccount1/images/cat.png',
      properties: { contentLength: 3, contentType: 'image/png', metadata: { owner: 'ann' }, etag: '"e"' },
      tokens: { name: 'cat', ext: 'png' },
    });

    expect(data.triggerMetadata.BlobTrigger).toEqual({ string: 'images/cat.png' });
    expect(JSON.parse(data.triggerMetadata.Uri?.json ?? '')).toBe('http://127.0.0.1:1/devstoreaccount1/images/cat.png');
    expect(JSON.parse(data.triggerMetadata.Metadata?.json ?? '')).toEqual({ owner: 'ann' });
    expect(JSON.parse(data.triggerMetadata.Properties?.json ?? '')).toMatchObject({ ContentLength: 3, ETag: '"e"' });
    expect(data.triggerMetadata.name).toEqual({ string: 'cat' });
    expect(data.bindingData).toMatchObject({ BlobTrigger: 'images/cat.png', name: 'cat', ext: 'png' });
  });
});

describe('Event Grid deliveries', () => {
  it('reads the validation code of a subscription handshake', () => {
    const body = JSON.stringify([
      { eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'abc' } },
    ]);

    expect(fromEventGridDelivery(body)).toEqual({ validationCode: 'abc', createdBlobUrls: [] });
  });

  it('collects BlobCreated URLs in Event Grid and CloudEvents schemas and ignores other events', () => {
    const body = JSON.stringify([
      { eventType: 'Microsoft.Storage.BlobCreated', data: { url: 'https://acct.blob.core.windows.net/c/x' } },
      { type: 'Microsoft.Storage.BlobCreated', data: { url: 'https://acct.blob.core.windows.net/c/y' } },
      { eventType: 'Microsoft.Storage.BlobDeleted', data: { url: 'https://acct.blob.core.windows.net/c/z' } },
    ]);

    expect(fromEventGridDelivery(body).createdBlobUrls).toEqual([
      'https://acct.blob.core.windows.net/c/x',
      'https://acct.blob.core.windows.net/c/y',
    ]);
    expect(() => fromEventGridDelivery('nope')).toThrow(/not JSON/);
  });

  it('finds container and blob in path-style (Azurite) and host-style URLs', () => {
    const azurite = 'http://127.0.0.1:10000/devstoreaccount1';

    expect(toBlobLocation(`${azurite}/images/a/b%20c.png`, azurite)).toEqual({
      container: 'images',
      blobName: 'a/b c.png',
    });
    expect(toBlobLocation('https://acct.blob.core.windows.net/images/x.png', azurite)).toEqual({
      container: 'images',
      blobName: 'x.png',
    });
    expect(toBlobLocation(`${azurite}/images`, azurite)).toBeUndefined();
  });
});
