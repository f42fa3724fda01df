import type { RpcTypedData } from '../../worker/rpc';
import type { EntityId } from './entityId';

/** One operation of a batch, as the entity trigger carries it. */
export interface EntityOperation {
  name: string;
  /** JSON text, or null. */
  input: string | null;
  isSignal: boolean;
}

/** The entity's result for one operation. */
export interface EntityOperationResult {
  isError: boolean;
  result?: string;
  duration?: number;
  startTime?: number;
}

/** A signal the entity sent to another entity. */
export interface EntitySignal {
  target: { name: string; key: string };
  name: string;
  input?: string;
}

/** What the entity function returns (`returnValue.json`). */
export interface EntityBatchResult {
  entityExists: boolean;
  entityState?: string;
  results: EntityOperationResult[];
  signals: EntitySignal[];
}

/** The `entityTrigger` value for a batch (reference durable.md §10): a string TypedData holding JSON. */
export function toEntityTrigger(
  entity: EntityId,
  state: { exists: boolean; state: string | undefined },
  batch: EntityOperation[],
): RpcTypedData {
  return {
    string: JSON.stringify({
      self: { name: entity.name, key: entity.key },
      exists: state.exists,
      state: state.state ?? null,
      batch,
    }),
  };
}

/** Reads the entity function's return value; undefined when it is not an entity batch result. */
export function fromEntityReturnValue(value: RpcTypedData | null | undefined): EntityBatchResult | undefined {
  const text = value?.json ?? value?.string;
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<EntityBatchResult>;
    if (typeof parsed.entityExists !== 'boolean' || !Array.isArray(parsed.results)) {
      return undefined;
    }
    return { ...parsed, signals: parsed.signals ?? [] } as EntityBatchResult;
  } catch {
    return undefined;
  }
}
