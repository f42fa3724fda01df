/**
 * Actions as `durable-functions` 3.x returns them in `OrchestratorState.actions` (reference durable.md §6), and
 * their flattening into the order in which the SDK hands out task ids.
 */

/** SDK `ActionType` numbers. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  ScheduledSignalEntity: 10,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** SDK `RetryOptions` as serialized in a retry action. */
export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** SDK `DurableHttpRequest` of a CallHttp action. */
export interface HttpRequestAction {
  method: string;
  uri: string;
  content?: string;
  headers?: Record<string, string>;
  asynchronousPatternEnabled?: boolean;
  tokenSource?: unknown;
}

/** One action object; the fields present depend on `actionType`. */
export interface SdkAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  version?: string;
  retryOptions?: RetryOptions;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  operation?: string;
  httpRequest?: HttpRequestAction;
  compoundActions?: SdkAction[];
  /** LockEntities (V4): the request id the lock response is matched by. */
  lockRequestId?: string;
  /** LockEntities (V4): the entities to lock, sorted by scheduler id. */
  lockSet?: { name: string; key: string }[];
}

/** The JSON the SDK returns from an orchestrator invocation (`OrchestratorState`). */
export interface OrchestratorState {
  isDone: boolean;
  actions: SdkAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
  failureDetails?: unknown;
}

const takesNoId = new Set<number>([
  ActionType.WaitForExternalEvent,
  ActionType.ContinueAsNew,
  ActionType.WhenAll,
  ActionType.WhenAny,
]);

/**
 * The atomic actions that take a task id, in id order: depth-first, children of WhenAll / WhenAny in child order
 * (source: df-js `TaskOrchestrationExecutor.trackOpenTask`). External-event waits and continue-as-new take none.
 * A ReleaseEntities takes one id per entity of the lock it releases (df-js `DurableOrchestrationContext.lock`),
 * so it is expanded into one release per entity, each carrying its target in `instanceId`.
 */
export function idTakingActions(actions: readonly SdkAction[]): SdkAction[] {
  const result: SdkAction[] = [];
  let lastLock: SdkAction | undefined;
  const visit = (action: SdkAction) => {
    if (action.compoundActions) {
      action.compoundActions.forEach(visit);
    } else if (action.actionType === ActionType.ReleaseEntities) {
      for (const entity of lastLock?.lockSet ?? []) {
        result.push({ ...action, instanceId: entitySchedulerId(entity), lockRequestId: lastLock?.lockRequestId });
      }
    } else if (!takesNoId.has(action.actionType)) {
      if (action.actionType === ActionType.LockEntities) {
        lastLock = action;
      }
      result.push(action);
    }
  };
  actions.forEach(visit);
  return result;
}

/** `@<name lower-cased>@<key>`, the scheduler id of an entity (df-js `EntityId.getSchedulerIdFromEntityId`). */
export function entitySchedulerId(entity: { name: string; key: string }): string {
  return `@${entity.name.toLowerCase()}@${entity.key}`;
}

/** The action list of a V2/V3 result: `actions[0]`, every action since the execution started. */
export function actionList(state: OrchestratorState): SdkAction[] {
  return state.actions.length === 0 ? [] : state.actions.flat();
}

/** The continue-as-new action, when the orchestrator asked for one. */
export function continueAsNewAction(actions: readonly SdkAction[]): SdkAction | undefined {
  return actions.find((a) => a.actionType === ActionType.ContinueAsNew);
}

/** A short description for logs and non-determinism messages, e.g. `CallActivity 'charge'`. */
export function describeAction(action: SdkAction): string {
  const kind = Object.entries(ActionType).find(([, value]) => value === action.actionType)?.[0] ?? 'Unknown';
  const target = action.functionName ?? action.operation ?? action.httpRequest?.uri ?? action.fireAt;
  const entity = action.instanceId && action.operation ? ` on '${action.instanceId}'` : '';
  return target === undefined ? kind : `${kind} '${target}'${entity}`;
}
