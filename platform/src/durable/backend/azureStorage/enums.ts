import { EventType, type RuntimeStatus } from '../types';

/** The name of a DTFx `EventType` number (the History table stores enums by name). */
export function eventTypeName(eventType: number): string | undefined {
  return (Object.keys(EventType) as (keyof typeof EventType)[]).find((name) => EventType[name] === eventType);
}

/** The `EventType` number of a name read from the History table. */
export function eventTypeFromName(name: string): number | undefined {
  return (EventType as Record<string, number>)[name];
}

/** DTFx's numeric `OrchestrationStatus` values, for queue messages (Newtonsoft writes enums as numbers). */
export const orchestrationStatusNumbers: Readonly<Record<RuntimeStatus, number>> = {
  Running: 0,
  Completed: 1,
  ContinuedAsNew: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  Pending: 6,
  Suspended: 7,
};

/** Every runtime status, as the Instances table spells them. */
export const runtimeStatuses = Object.keys(orchestrationStatusNumbers) as RuntimeStatus[];
