import { toServiceBusTarget } from '../../lib/serviceBus';
import { developmentStorageConnectionString, toStorageTarget } from '../../lib/storage';

describe('toStorageTarget', () => {
  it('maps UseDevelopmentStorage=true to Azurite on its default ports over http', () => {
    const target = toStorageTarget({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });

    expect(target).toEqual({
      kind: 'connectionString',
      connectionString: developmentStorageConnectionString,
      accountName: 'devstoreaccount1',
      insecure: true,
    });
    expect(developmentStorageConnectionString).toContain('BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1');
  });

  it('marks an https connection string as secure', () => {
    const target = toStorageTarget({
      AzureWebJobsStorage:
        'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net',
    });

    expect(target).toMatchObject({ kind: 'connectionString', accountName: 'acct', insecure: false });
  });

  it('builds identity-based endpoints from the account name and client id', () => {
    const target = toStorageTarget({ AzureWebJobsStorage__accountName: 'acct', AzureWebJobsStorage__clientId: 'id-1' });

    expect(target).toEqual({
      kind: 'identity',
      accountName: 'acct',
      blobUrl: 'https://acct.blob.core.windows.net',
      queueUrl: 'https://acct.queue.core.windows.net',
      tableUrl: 'https://acct.table.core.windows.net',
      clientId: 'id-1',
    });
  });

  it('says which settings to set when nothing is configured', () => {
    expect(() => toStorageTarget({})).toThrow(/set 'AzureWebJobsStorage' to a connection string/);
  });
});

describe('toServiceBusTarget', () => {
  it('uses the connection string when present', () => {
    expect(toServiceBusTarget({ ServiceBusConnection: 'Endpoint=sb://localhost;UseDevelopmentEmulator=true' })).toEqual(
      {
        kind: 'connectionString',
        connectionString: 'Endpoint=sb://localhost;UseDevelopmentEmulator=true',
      },
    );
  });

  it('uses the namespace and identity otherwise', () => {
    expect(toServiceBusTarget({ ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net' })).toEqual({
      kind: 'identity',
      fullyQualifiedNamespace: 'ns.servicebus.windows.net',
    });
  });

  it('names the missing setting', () => {
    expect(() => toServiceBusTarget({})).toThrow(/ServiceBusConnection__fullyQualifiedNamespace/);
  });
});
