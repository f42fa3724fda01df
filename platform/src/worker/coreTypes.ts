/**
 * Types of the `@azure/functions-core` contract between the worker and a programming model such as
 * `@azure/functions`: how an invocation is modelled and what hooks receive.
 */
import type { InvocationRequest, InvocationResponse, RpcFunctionMetadata } from './rpc';

export type { RpcFunctionMetadata };

export type CoreLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type CoreLogCategory = 'user' | 'system' | 'customMetric';
export type InvocationState = 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';
export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';

export type FunctionCallback = (context: unknown, ...inputs: unknown[]) => unknown;
export type HookCallback = (context: never) => void | Promise<void>;
export type HookData = Record<string, unknown>;

/** What the worker hands the programming model for one invocation. */
export interface CoreInvocationContext {
  invocationId: string;
  request: InvocationRequest;
  metadata: RpcFunctionMetadata;
  state?: InvocationState;
  log(level: CoreLogLevel, category: CoreLogCategory, message: string): void;
}

export interface InvocationArguments {
  context: unknown;
  inputs: unknown[];
}

export interface InvocationModel {
  getArguments(): Promise<InvocationArguments>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<Omit<InvocationResponse, 'result'>>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel | Promise<InvocationModel>;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export interface PreInvocationContext {
  readonly hookData: HookData;
  readonly appHookData: HookData;
  readonly invocationContext: unknown;
  inputs: unknown[];
  functionCallback: FunctionCallback;
}

export interface PostInvocationContext {
  readonly hookData: HookData;
  readonly appHookData: HookData;
  readonly invocationContext: unknown;
  inputs: unknown[];
  result: unknown;
  error: unknown;
}

export interface AppStartContext {
  readonly hookData: HookData;
  readonly appHookData: HookData;
  readonly functionAppDirectory: string;
}

export interface AppTerminateContext {
  readonly hookData: HookData;
  readonly appHookData: HookData;
}
