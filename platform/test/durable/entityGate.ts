import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendKind } from '../../src/durable/config/durableOptions';
import type { EntityId } from '../../src/durable/entities/entityId';
import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { waitFor } from '../helpers/waitFor';
import { startDurableApp, type DurableApp, type DurableAppOptions } from './durableApp';

/** One `hold` operation sent to an entity of the durable-entity-app fixture. */
export interface Hold {
  /** Waits until the entity function runs the operation (and so occupies an entity dispatcher slot). */
  started(): Promise<void>;
  /** Lets the operation end. */
  open(): void;
}

/**
 * Drives the fixture's `hold` operations (entities `gate` and `account`): an entity invocation that runs until the
 * test opens it, so that with `maxConcurrentEntityFunctions: 1` the messages for other entities pile up meanwhile.
 */
export class EntityGates {
  readonly #dir = mkdtempSync(join(tmpdir(), 'entity-gate-'));
  readonly #holds: Hold[] = [];

  /** Sends `hold` to the entity (default: a fresh `gate` entity). */
  async hold(durable: DurableTestHost, entity?: EntityId): Promise<Hold> {
    const index = this.#holds.length;
    const started = join(this.#dir, `started-${index}`);
    const open = join(this.#dir, `open-${index}`);
    const target = entity ?? { name: 'gate', key: `g${index}` };
    const hold: Hold = {
      started: async () => {
        await waitFor(`'${target.name}' to hold its invocation`, () => existsSync(started), { timeoutMs: 20_000 });
      },
      open: () => writeFileSync(open, 'open'),
    };
    this.#holds.push(hold);
    await durable.client.signalEntity(target, 'hold', JSON.stringify({ started, open }));
    return hold;
  }

  /** Opens every hold and removes the files. */
  dispose(): void {
    for (const hold of this.#holds) {
      hold.open();
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Fresh gates for each test of the describe block this is called in, all opened and removed after the test. */
export function useEntityGates(): Pick<EntityGates, 'hold'> {
  let gates: EntityGates | undefined;

  beforeEach(() => {
    gates = new EntityGates();
  });

  afterEach(() => {
    gates?.dispose();
  });

  return {
    hold(durable, entity) {
      if (!gates) {
        throw new Error('useEntityGates() hold was called outside a test.');
      }
      return gates.hold(durable, entity);
    },
  };
}

/**
 * Runs the durable-entity-app on its own `backend` task hub (named `hubPrefix` + backend + time), in real time and
 * with one entity function at a time, which the gates rely on.
 */
export function startEntityApp(
  backend: BackendKind,
  hubPrefix: string,
  options: Pick<DurableAppOptions, 'durableTask' | 'replaySchema'> = {},
): Promise<DurableApp> {
  return startDurableApp({
    ...options,
    fixture: 'durable-entity-app',
    hubName: `${hubPrefix}${backend === 'memory' ? 'Mem' : 'Az'}${Date.now().toString(36)}`,
    backend,
    logLevel: 'Warning',
    virtualClock: false,
    durableTask: { maxConcurrentEntityFunctions: 1, ...options.durableTask },
  });
}
