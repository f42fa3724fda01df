/**
 * Azurite 3.37 keeps each table's entities in a LokiJS collection with binary indexes on `PartitionKey` and
 * `RowKey`, but looks entities up as `{ RowKey, PartitionKey }`: LokiJS narrows by the first key only, and every
 * row of an Instances table has the row key "", so each point read or write scans the whole table. Queries
 * filtered on one partition scan it whole too. The wrappers below narrow by partition first; the full
 * conditions still apply afterwards, so the answers are the same.
 */

interface Resultset {
  find(query: Record<string, unknown>): Resultset;
}

interface EntityCollection {
  findOne(query: Record<string, unknown>): unknown;
  chain(): Resultset;
}

interface TableMetadataStore {
  getEntityCollection(account: string, table: string, context: unknown): EntityCollection;
  queryTableEntities(
    context: unknown,
    account: string,
    table: string,
    queryOptions: { filter?: string },
    ...rest: unknown[]
  ): Promise<unknown>;
}

const narrowed = Symbol('narrowed by partition');

/**
 * Wraps a started Azurite table server's metadata store so that entity lookups and single-partition queries use
 * the `PartitionKey` index. Does nothing when the store does not have the shape of Azurite 3.37's LokiJS store.
 */
export function indexTableEntities(tableServer: unknown): void {
  const store = (tableServer as { metadataStore?: TableMetadataStore }).metadataStore;
  if (!store || typeof store.getEntityCollection !== 'function' || typeof store.queryTableEntities !== 'function') {
    return;
  }

  const getEntityCollection = store.getEntityCollection.bind(store);
  store.getEntityCollection = (account, table, context) => {
    const collection = getEntityCollection(account, table, context);
    lookUpByPartitionFirst(collection);
    return collection;
  };

  const queryTableEntities = store.queryTableEntities.bind(store);
  store.queryTableEntities = (context, account, table, queryOptions, ...rest) => {
    const partitionKey = singlePartitionOf(queryOptions.filter);
    if (partitionKey === undefined) {
      return queryTableEntities(context, account, table, queryOptions, ...rest);
    }
    // Azurite builds the whole result synchronously, before its first await, so the narrowed chain() is seen by
    // this query alone.
    const collection = getEntityCollection(account, table, context);
    const chain = collection.chain.bind(collection);
    collection.chain = () => chain().find({ PartitionKey: partitionKey });
    try {
      return queryTableEntities(context, account, table, queryOptions, ...rest);
    } finally {
      delete (collection as Partial<EntityCollection>).chain;
    }
  };
}

function lookUpByPartitionFirst(collection: EntityCollection & { [narrowed]?: true }): void {
  if (collection[narrowed]) {
    return;
  }
  const findOne = collection.findOne.bind(collection);
  collection.findOne = (query) => {
    if (!('PartitionKey' in query)) {
      return findOne(query);
    }
    const { PartitionKey, ...others } = query;
    return findOne({ PartitionKey, ...others });
  };
  collection[narrowed] = true;
}

/**
 * The partition key an OData filter requires of every row, when it starts `PartitionKey eq '…'` and joins any
 * further conditions with `and` alone; undefined for any other filter.
 */
export function singlePartitionOf(filter: string | undefined): string | undefined {
  const match = filter?.match(/^\s*\(?\s*PartitionKey\s+eq\s+'((?:[^']|'')*)'\s*\)?(.*)$/s);
  if (!match) {
    return undefined;
  }
  const rest = (match[2] ?? '').replace(/'(?:[^']|'')*'/g, "''");
  if (rest.trim() !== '' && (!/^\s*and\s/i.test(rest) || /\bor\b|\bnot\b|[()]/i.test(rest))) {
    return undefined;
  }
  return (match[1] ?? '').replace(/''/g, "'");
}
