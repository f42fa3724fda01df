import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Executor, InvocationOutcome } from '../../../host/executor';
import { PlatformBugError } from '../../../errors';
import type { RpcTypedData } from '../../../worker/rpc';
import { invocationReason } from '../invocationReason';
import { writeEmptyResponse } from '../responseWriter';
import type { HttpRoute } from '../routing/routeTable';
import type { Forwarding, ForwardingResult, StreamingForwarder } from './streamingForwarder';

/** One streaming-mode request: the route it matched and where its answer goes. */
export interface StreamingInvocation {
  readonly executor: Executor;
  readonly forwarder: StreamingForwarder;
  readonly route: HttpRoute;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly limit: number;
  readonly metadata: Record<string, RpcTypedData>;
  readonly bindingData: Record<string, unknown>;
}

/**
 * How long the host waits, after a successful invocation, for the worker's answer to start. The library writes
 * its answer before reporting success, so only a function that returned nothing gets near this.
 */
const answerGraceMs = 2_000;

/**
 * Runs a function of a streaming app: invokes it with an empty `http` input while the real request travels to the
 * worker's proxy under the same invocation id, then relays the answer, or answers itself when there is none.
 */
export async function relayStreamingInvocation(call: StreamingInvocation): Promise<void> {
  const state: { forwarding?: Forwarding } = {};
  const invocation = call.executor.invoke({
    functionName: call.route.functionName,
    trigger: { http: {} },
    triggerMetadata: call.metadata,
    bindingData: call.bindingData,
    reason: invocationReason,
    onInvocationStart: (invocationId) => {
      state.forwarding?.abort();
      state.forwarding = call.forwarder.forward(invocationId, call.request, call.response, call.limit);
    },
  });
  const forwarding = state.forwarding;
  if (!forwarding) {
    throw new PlatformBugError('The executor did not report the invocation id before running the function.');
  }

  const first = await Promise.race([
    invocation.then((outcome) => ({ outcome, result: undefined })),
    forwarding.done.then((result) => ({ outcome: undefined, result })),
  ]);
  const result = first.outcome ? await afterInvocation(first.outcome, forwarding) : first.result;
  finish(result, forwarding, call.response);
}

async function afterInvocation(outcome: InvocationOutcome, forwarding: Forwarding): Promise<ForwardingResult> {
  if (outcome.succeeded) {
    return forwarding.settle(answerGraceMs);
  }
  return forwarding.result === 'tooLarge' ? 'tooLarge' : 'failed';
}

function finish(result: ForwardingResult, forwarding: Forwarding, response: ServerResponse): void {
  if (result === 'relayed') {
    return;
  }
  forwarding.abort();
  const status = result === 'noResponse' ? 204 : result === 'tooLarge' ? 413 : 500;
  writeEmptyResponse(response, status, {}, result === 'tooLarge');
}
