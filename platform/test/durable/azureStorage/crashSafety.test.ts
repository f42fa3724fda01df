import { EventType } from '../../../src/durable/backend/types';
import type { HostProcess } from '../../helpers/startHostProcess';
import { waitFor } from '../../helpers/waitFor';
import { uniqueHubName } from './backendHarness';
import { crashProvider, describeBuilt, useHostProcessesOnAzurite } from './hostProcessHarness';
import { clientFor, describeStragglers, leaseOwners, readSideEffects, recordedCompletions } from './taskHubInspection';

describeBuilt('Azure Storage task hub across host processes', () => {
  const harness = useHostProcessesOnAzurite();

  async function completedStates(backend: ReturnType<typeof clientFor>['backend'], ids: string[]) {
    const states = await Promise.all(ids.map((id) => backend.getInstance(id)));
    return states.every((s) => s?.runtimeStatus === 'Completed') && states;
  }

  /** Waits for every instance to complete; on time-out the error lists the stragglers and the hosts' output. */
  async function waitForCompletion(
    backend: ReturnType<typeof clientFor>['backend'],
    ids: string[],
    hosts: HostProcess[],
  ) {
    try {
      return await waitFor('every orchestration to complete', () => completedStates(backend, ids), {
        timeoutMs: 180_000,
        intervalMs: 250,
      });
    } catch (error) {
      const states = await Promise.all(ids.map((id) => backend.getInstance(id)));
      const open = states
        .filter((s) => s?.runtimeStatus !== 'Completed')
        .map((s) => `${s?.instanceId}: ${s?.runtimeStatus}`);
      const output = hosts.map((h) => `--- host ${h.pid}\n${h.output().slice(-4000)}`).join('\n');
      const details = await describeStragglers(harness.storage, backend, ids);
      throw new Error(`${(error as Error).message}; not completed: ${open.join(', ')}\n${details}\n${output}`);
    }
  }

  async function expectEachCompletedOnce(
    backend: ReturnType<typeof clientFor>['backend'],
    ids: string[],
    steps: number,
  ) {
    for (const id of ids) {
      const history = await backend.getHistory(id);
      expect({ id, completed: history.filter((e) => e.EventType === EventType.ExecutionCompleted).length }).toEqual({
        id,
        completed: 1,
      });
      const completions = history.filter((e) => e.EventType === EventType.TaskCompleted).map((e) => e.TaskScheduledId);
      expect(completions).toEqual(Array.from({ length: steps }, (_, i) => i));
    }
  }

  it('completes every orchestration after kill -9 of the host mid-run, repeating no activity whose completion was recorded', async () => {
    const { storage } = harness;
    const hubName = uniqueHubName();
    const appDir = harness.prepareApp('durable-storage-app', hubName, crashProvider);
    const { client, backend } = clientFor(storage, hubName);
    const steps = 5;
    let host = await harness.startHost(appDir);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(await client.startNew('sequence', { input: JSON.stringify({ steps, delayMs: 30 }) }));
    }

    // Kill at two points of the run, each time noting which completions the history already held.
    const kills: { pid: number; recorded: Map<string, Set<number>> }[] = [];
    for (const progress of [25, 60]) {
      await waitFor(
        `${progress} activity executions`,
        async () => (await readSideEffects(storage)).length >= progress,
        {
          timeoutMs: 90_000,
          intervalMs: 20,
        },
      );
      await host.kill();
      kills.push({ pid: host.pid, recorded: await recordedCompletions(backend, ids) });
      host = await harness.startHost(appDir);
    }

    const states = await waitForCompletion(backend, ids, [host]);
    expect(states.map((s) => s && s.output)).toEqual(ids.map(() => '[0,1,2,3,4]'));
    await expectEachCompletedOnce(backend, ids, steps);

    const effects = await readSideEffects(storage);
    for (const id of ids) {
      for (let step = 0; step < steps; step++) {
        expect(effects.some((e) => e.instanceId === id && e.step === step)).toBe(true);
      }
    }
    // A process started after a kill never re-ran an activity whose completion was in the history at the kill.
    const pidsInOrder = [...kills.map((k) => k.pid), host.pid];
    kills.forEach((kill, k) => {
      const laterPids = new Set(pidsInOrder.slice(k + 1));
      const repeated = effects.filter((e) => laterPids.has(e.pid) && kill.recorded.get(e.instanceId)?.has(e.step));
      expect(repeated).toEqual([]);
    });
  }, 420_000);

  it('runs two hosts on one task hub with every orchestration and activity completing exactly once', async () => {
    const { storage } = harness;
    const hubName = uniqueHubName();
    const appDir = harness.prepareApp('durable-storage-app', hubName);
    const { client, backend } = clientFor(storage, hubName);
    const steps = 3;
    const first = await harness.startHost(appDir);
    const second = await harness.startHost(appDir);

    // Partitions move only while hosts come and go; the run starts once the hosts hold two each.
    await waitFor(
      'the partitions to be split between the two hosts',
      async () => {
        const owners = await leaseOwners(storage, backend.names.leaseContainer);
        const counts = new Map<string | undefined, number>();
        owners.forEach((owner) => counts.set(owner, (counts.get(owner) ?? 0) + 1));
        return (
          owners.length === 4 &&
          counts.size === 2 &&
          !counts.has(undefined) &&
          [...counts.values()].every((c) => c === 2)
        );
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push(await client.startNew('sequence', { input: JSON.stringify({ steps }) }));
    }
    await waitForCompletion(backend, ids, [first, second]);
    await expectEachCompletedOnce(backend, ids, steps);

    const effects = await readSideEffects(storage);
    const mine = effects.filter((e) => ids.includes(e.instanceId));
    expect(mine).toHaveLength(ids.length * steps);
    expect(new Set(mine.map((e) => `${e.instanceId}/${e.step}`)).size).toBe(ids.length * steps);
    expect(new Set(mine.map((e) => e.pid))).toEqual(new Set([first.pid, second.pid]));
  }, 420_000);
});
