import { TableClient, odata } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { singlePartitionOf } from '../../src/storage/tableEntityLookup';
import { startTestAzurite } from '../helpers/testHost';

describe('the partition a table filter requires', () => {
  it.each([
    ["PartitionKey eq 'a'", 'a'],
    ["PartitionKey eq 'it''s'", "it's"],
    ["(PartitionKey eq 'a')", 'a'],
    ["PartitionKey eq 'a' and RowKey gt '0001'", 'a'],
    ["PartitionKey eq 'a' and Name eq 'x or y'", 'a'],
  ])('is read from %s', (filter, partition) => {
    expect(singlePartitionOf(filter)).toBe(partition);
  });

  it.each([
    undefined,
    "RowKey eq 'a'",
    "PartitionKey eq 'a' or PartitionKey eq 'b'",
    "PartitionKey eq 'a' and RowKey eq '1' or RowKey eq '2'",
    "PartitionKey eq 'a' and not (RowKey eq '1')",
    "PartitionKey ge 'a'",
    "(PartitionKey eq 'a' or PartitionKey eq 'b')",
  ])('is not assumed from %s', (filter) => {
    expect(singlePartitionOf(filter)).toBeUndefined();
  });
});

// Entity reads, writes and single-partition queries of the embedded Azurite go through the partition index
// (src/storage/tableEntityLookup.ts); these tests pin their answers through the real SDK.
describe('table entities in the embedded Azurite', () => {
  let azurite: EmbeddedAzurite;
  let table: TableClient;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, `Lookup${randomBytes(4).toString('hex')}`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
    for (let i = 0; i < 30; i++) {
      await table.createEntity({ partitionKey: `instance-${i}`, rowKey: '', Status: 'Running', Index: i });
      for (let n = 0; n < 5; n++) {
        await table.createEntity({ partitionKey: `instance-${i}`, rowKey: `000${n}`, Event: `${i}.${n}` });
      }
    }
  });

  afterAll(() => azurite.close());

  it('reads, replaces, merges and deletes the entity of the named partition among rows with equal row keys', async () => {
    expect(await table.getEntity('instance-17', '')).toMatchObject({ Index: 17, Status: 'Running' });

    await table.updateEntity({ partitionKey: 'instance-17', rowKey: '', Status: 'Completed' }, 'Replace');
    await table.updateEntity({ partitionKey: 'instance-18', rowKey: '', Output: 'done' }, 'Merge');
    await table.deleteEntity('instance-19', '');

    expect(await table.getEntity('instance-17', '')).not.toHaveProperty('Index');
    expect(await table.getEntity('instance-18', '')).toMatchObject({ Index: 18, Status: 'Running', Output: 'done' });
    await expect(table.getEntity('instance-19', '')).rejects.toMatchObject({ statusCode: 404 });
    expect(await table.getEntity('instance-20', '')).toMatchObject({ Index: 20, Status: 'Running' });
  });

  it('rejects an insert that collides with an entity of the same partition only', async () => {
    await expect(table.createEntity({ partitionKey: 'instance-3', rowKey: '0001' })).rejects.toMatchObject({
      statusCode: 409,
    });
    await table.createEntity({ partitionKey: 'instance-new', rowKey: '0001', Event: 'new' });

    expect(await table.getEntity('instance-new', '0001')).toMatchObject({ Event: 'new' });
  });

  it('answers a single-partition query as the unindexed path answers the same condition', async () => {
    const rows = async (filter: string) => {
      const found: string[] = [];
      for await (const entity of table.listEntities<{ Event?: string }>({ queryOptions: { filter } })) {
        found.push(`${entity.partitionKey}/${entity.rowKey}/${entity.Event ?? ''}`);
      }
      return found;
    };

    const indexed = await rows(odata`PartitionKey eq ${'instance-5'} and RowKey ge ${'0002'}`);
    // The same condition written with `or`, which the index leaves alone.
    const scanned = await rows(
      odata`(PartitionKey eq ${'instance-5'} or PartitionKey eq ${'instance-5'}) and RowKey ge ${'0002'}`,
    );

    expect(indexed).toEqual(['instance-5/0002/5.2', 'instance-5/0003/5.3', 'instance-5/0004/5.4']);
    expect(indexed).toEqual(scanned);
  });

  it('pages a single-partition query with continuation tokens', async () => {
    const pages = table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'instance-7'}` } }).byPage({
      maxPageSize: 2,
    });
    const sizes: number[] = [];
    for await (const page of pages) {
      sizes.push(page.length);
    }

    expect(sizes).toEqual([2, 2, 2]);
  });
});
