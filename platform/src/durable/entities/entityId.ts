/** An entity's id as the scheduler writes it: `@<name lower-cased>@<key>` (reference durable.md §8). */
export interface EntityId {
  readonly name: string;
  readonly key: string;
}

/** The instance id of an entity; names are lower-cased as the SDK does for orchestrator calls. */
export function toEntityInstanceId(entity: EntityId): string {
  return `@${entity.name.toLowerCase()}@${entity.key}`;
}

/** The entity behind an `@name@key` instance id, or undefined for an orchestration id. */
export function fromEntityInstanceId(instanceId: string): EntityId | undefined {
  if (!instanceId.startsWith('@')) {
    return undefined;
  }
  const separator = instanceId.indexOf('@', 1);
  if (separator < 0) {
    return undefined;
  }
  return { name: instanceId.slice(1, separator), key: instanceId.slice(separator + 1) };
}
