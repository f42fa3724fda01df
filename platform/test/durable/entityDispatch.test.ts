import type { BackendKind } from '../../src/durable/config/durableOptions';
import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { waitFor } from '../helpers/waitFor';
import type { DurableApp } from './durableApp';
import { startEntityApp, useEntityGates } from './entityGate';

const batchSize = 3;

async function readState<T>(durable: DurableTestHost, name: string, key: string): Promise<T | undefined> {
  const read = await durable.client.readEntityState({ name, key });
  return read ? (JSON.parse(read.state) as T) : undefined;
}

describe.each<BackendKind>(['memory', 'azureStorage'])('entity dispatch on the %s task hub', (backend) => {
  let app: DurableApp | undefined;
  let durable: DurableTestHost;
  const gates = useEntityGates();

  beforeAll(async () => {
    app = await startEntityApp(backend, 'Ent', { durableTask: { maxEntityOperationBatchSize: batchSize } });
    durable = app.durable;
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('runs a burst of signals in batches no larger than maxEntityOperationBatchSize, each once and in order', async () => {
    const count = 20;
    const gate = await gates.hold(durable);
    await gate.started();
    for (let n = 0; n < count; n++) {
      await durable.client.signalEntity({ name: 'tally', key: 'burst' }, 'append', String(n));
    }
    gate.open();

    type Item = { n: number; invocationId: string };
    const items = await waitFor(
      'every signal to reach the tally entity',
      async () => {
        const state = await readState<Item[]>(durable, 'tally', 'burst');
        return state && state.length >= count ? state : undefined;
      },
      { timeoutMs: 30_000 },
    );

    expect(items.map((item) => item.n)).toEqual(Array.from({ length: count }, (_, n) => n));
    const batches = new Map<string, number>();
    for (const item of items) {
      batches.set(item.invocationId, (batches.get(item.invocationId) ?? 0) + 1);
    }
    expect(Math.max(...batches.values())).toBeLessThanOrEqual(batchSize);
    expect(batches.size).toBeGreaterThanOrEqual(Math.ceil(count / batchSize));
  }, 60_000);

  it('never runs two entities at the same time with maxConcurrentEntityFunctions = 1', async () => {
    const keys = ['a', 'b', 'c', 'd'];
    const gate = await gates.hold(durable);
    await gate.started();
    for (const key of keys) {
      await durable.client.signalEntity({ name: 'overlap', key }, 'visit', undefined);
      await durable.client.signalEntity({ name: 'overlap', key }, 'visit', undefined);
    }
    gate.open();

    type Seen = { visits: number; maxActive: number };
    const seen = await waitFor(
      'every entity to be visited twice',
      async () => {
        const states = await Promise.all(keys.map((key) => readState<Seen>(durable, 'overlap', key)));
        return states.every((state) => state?.visits === 2) ? (states as Seen[]) : undefined;
      },
      { timeoutMs: 30_000 },
    );

    expect(seen.map((state) => state.maxActive)).toEqual([1, 1, 1, 1]);
  }, 60_000);
});
