import type { Clock } from '../../clock/clock';
import type { Logger } from '../../host/logger';
import type { RpcTypedData } from '../../worker/rpc';
import type { ReplaySchema } from '../replay/orchestratorPayload';

/** How an invocation of an orchestrator, activity or entity function ended, as the engine needs it. */
export interface FunctionOutcome {
  readonly succeeded: boolean;
  readonly returnValue?: RpcTypedData | null;
  readonly error?: Error;
}

/** What the engine needs from the host: time, logs and a way to run the app's functions. */
export interface EngineDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Runs a function of the app with its trigger value (through the host's executor). */
  invoke(functionName: string, trigger: RpcTypedData, reason: string): Promise<FunctionOutcome>;
  /** The registered function of a trigger type with this name (entity names compare case-insensitively). */
  findFunction(kind: 'orchestrationTrigger' | 'activityTrigger' | 'entityTrigger', name: string): string | undefined;
  /** `defaultHttpAsyncRequestSleepTimeMilliseconds` for callHttp polling. */
  readonly httpPollingDelayMs: number;
  /** Replay schema advertised to the SDK; V4 enables entity critical sections. */
  readonly replaySchema: ReplaySchema;
}
