/**
 * The slice of the Functions host ↔ language worker RPC contract that the Node.js library reads and writes.
 * Field names follow the protobuf JSON form the real worker hands to `@azure/functions`.
 */

/** One value crossing the host/worker boundary; exactly one field is set, or none for null. */
export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  stream?: Uint8Array;
  http?: RpcHttpData;
  int?: number;
  double?: number;
  collectionString?: { string: string[] };
  collectionBytes?: { bytes: Uint8Array[] };
  collectionDouble?: { double: number[] };
  collectionSint64?: { sint64: number[] };
}

export interface RpcNullableString {
  value?: string;
}

/** HTTP request or response as it crosses the boundary. */
export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  nullableHeaders?: Record<string, RpcNullableString>;
  query?: Record<string, string>;
  nullableQuery?: Record<string, RpcNullableString>;
  params?: Record<string, string>;
  nullableParams?: Record<string, RpcNullableString>;
  body?: RpcTypedData;
  statusCode?: string;
  cookies?: RpcHttpCookie[];
  enableContentNegotiation?: boolean;
}

export interface RpcHttpCookie {
  name: string;
  value: string;
  domain?: RpcNullableString;
  path?: RpcNullableString;
  expires?: { value?: { seconds: number; nanos?: number } };
  secure?: { value?: boolean };
  httpOnly?: { value?: boolean };
  sameSite?: string | number;
  maxAge?: { value?: number };
}

export interface RpcParameterBinding {
  name: string;
  data?: RpcTypedData;
}

export interface RpcRetryContext {
  retryCount: number;
  maxRetryCount: number;
  exception?: RpcException;
}

export interface RpcException {
  message?: string;
  source?: string;
  stackTrace?: string;
}

export interface RpcTraceContext {
  traceParent?: string;
  traceState?: string;
  attributes?: Record<string, string>;
}

export interface InvocationRequest {
  invocationId: string;
  functionId: string;
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
  traceContext?: RpcTraceContext;
  retryContext?: RpcRetryContext;
}

export interface InvocationResponse {
  invocationId: string;
  outputData?: RpcParameterBinding[];
  returnValue?: RpcTypedData | null;
  result: { status: 'success' | 'failure'; exception?: RpcException };
}

/** A binding as `@azure/functions` registers it: the options object plus type, name and direction. */
export interface RpcBindingInfo {
  type: string;
  name?: string;
  direction: 'in' | 'out' | 'inout';
  properties?: Record<string, string>;
  [option: string]: unknown;
}

/** Metadata `@azure/functions` passes to `registerFunction`. */
export interface RpcFunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: RpcRetryOptions;
}

export type RpcRetryOptions =
  | {
      strategy?: 'fixedDelay';
      retryStrategy?: 'fixedDelay';
      maxRetryCount: number;
      delayInterval?: { seconds?: number };
    }
  | {
      strategy?: 'exponentialBackoff';
      retryStrategy?: 'exponentialBackoff';
      maxRetryCount: number;
      minimumInterval?: { seconds?: number };
      maximumInterval?: { seconds?: number };
    };
