import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { ReservedOrder } from '../activities/reserveInventory';
import { compensationRetry, replyRetry, stepRetry } from '../lib/orchestration/retryPolicies';
import { functionNames } from '../lib/names';
import type { OrderMessage } from '../lib/orderSchema';
import type { Charge } from '../lib/orders/ledgerStore';
import { buildReply, type ReplyOutcome } from '../lib/orders/replies';
import type { Shipment } from '../lib/orders/shipmentStore';
import {
  compensationFor,
  sagaSteps,
  toOrderProgress,
  type Compensation,
  type OrderResult,
  type RefusalCode,
  type SagaStep,
  type StepOutcome,
} from '../lib/orders/steps';

type Failure = { code: RefusalCode | 'transient'; reason: string };

/**
 * One orchestration per order (instance id `order-<orderId>`): reserve inventory, charge payment, create the
 * shipment, send the confirmation. A step that refuses or keeps failing triggers the compensations of the steps done
 * so far, in reverse order. Every step and the end are reported through `customStatus` and, when the order asked for
 * it, a Service Bus reply.
 */
export const processOrder: OrchestrationHandler = function* (context: OrchestrationContext) {
  const order = context.df.getInput<OrderMessage>();
  const done: SagaStep[] = [];
  const now = () => context.df.currentUtcDateTime.toISOString();

  const reserved = yield* runStep<ReservedOrder>(context, done, 'reserveInventory', {
    orderId: order.orderId,
    items: order.items,
    at: now(),
  });
  if (!reserved.ok) {
    return yield* compensate(context, order, done, 'reserveInventory', reserved);
  }
  yield* reply(context, order, done, 'reserveInventory', 'completed', { totalCents: reserved.value.totalCents });

  const charged = yield* runStep<Charge>(context, done, 'chargePayment', {
    orderId: order.orderId,
    customerId: order.customerId,
    amountCents: reserved.value.totalCents,
    at: now(),
  });
  if (!charged.ok) {
    return yield* compensate(context, order, done, 'chargePayment', charged);
  }
  yield* reply(context, order, done, 'chargePayment', 'completed', { amountCents: charged.value.amountCents });

  const shipped = yield* runStep<Shipment>(context, done, 'createShipment', {
    orderId: order.orderId,
    customerId: order.customerId,
    at: now(),
  });
  if (!shipped.ok) {
    return yield* compensate(context, order, done, 'createShipment', shipped);
  }
  yield* reply(context, order, done, 'createShipment', 'completed', { shipmentId: shipped.value.shipmentId });

  const confirmed = yield* runStep<{ blobName: string }>(context, done, 'sendConfirmation', {
    orderId: order.orderId,
    customerId: order.customerId,
    lines: reserved.value.lines,
    totalCents: reserved.value.totalCents,
    shipmentId: shipped.value.shipmentId,
    at: now(),
  });
  if (!confirmed.ok) {
    return yield* compensate(context, order, done, 'sendConfirmation', confirmed);
  }
  yield* reply(context, order, done, 'sendConfirmation', 'completed');

  const result: OrderResult = {
    orderId: order.orderId,
    status: 'completed',
    totalCents: reserved.value.totalCents,
    shipmentId: shipped.value.shipmentId,
    compensations: [],
  };
  context.df.setCustomStatus(toOrderProgress('done', done));
  yield* reply(context, order, done, 'order', 'completed', {
    totalCents: result.totalCents,
    shipmentId: result.shipmentId,
  });
  return result;
};

/** Runs one forward step with retries; a step that still throws after them counts as a transient failure. */
function* runStep<T>(
  context: OrchestrationContext,
  done: SagaStep[],
  step: SagaStep,
  input: unknown,
): Generator<df.Task, StepOutcome<T> | ({ ok: false } & Failure), unknown> {
  context.df.setCustomStatus(toOrderProgress(step, done));
  try {
    const outcome = (yield context.df.callActivityWithRetry(step, stepRetry(), input)) as StepOutcome<T>;
    if (outcome.ok) {
      done.push(step);
    }
    return outcome;
  } catch (error) {
    return {
      ok: false,
      code: 'transient',
      reason: `failed after ${stepRetry().maxNumberOfAttempts} attempts: ${messageOf(error)}`,
    };
  }
}

/**
 * Undoes the completed steps in reverse order. After a transient failure the failed step may have half happened, so
 * its own compensation runs too (compensations are idempotent, so undoing what never happened is harmless).
 */
function* compensate(
  context: OrchestrationContext,
  order: OrderMessage,
  done: SagaStep[],
  failedStep: SagaStep,
  failure: Failure,
): Generator<df.Task, OrderResult, unknown> {
  if (!context.df.isReplaying) {
    context.warn('Order step failed; compensating', {
      orderId: order.orderId,
      step: failedStep,
      reason: failure.reason,
    });
  }
  const outcome: ReplyOutcome = failure.code === 'transient' ? 'failed' : 'refused';
  yield* reply(context, order, done, failedStep, outcome, { code: failure.code, reason: failure.reason });

  const toUndo = failure.code === 'transient' ? [...done, failedStep] : [...done];
  const compensations: Compensation[] = [];
  for (const step of toUndo.reverse()) {
    const compensation = compensationFor[step];
    if (compensation === undefined) {
      continue;
    }
    context.df.setCustomStatus(toOrderProgress(compensation, done));
    yield context.df.callActivityWithRetry(compensation, compensationRetry(), {
      orderId: order.orderId,
      customerId: order.customerId,
      at: context.df.currentUtcDateTime.toISOString(),
    });
    compensations.push(compensation);
    yield* reply(context, order, done, compensation, 'completed');
  }

  const result: OrderResult = {
    orderId: order.orderId,
    status: 'compensated',
    failedStep,
    failureCode: failure.code,
    failureReason: failure.reason,
    compensations,
  };
  context.df.setCustomStatus({ ...toOrderProgress('done', done), failedStep, compensations });
  yield* reply(context, order, done, 'order', 'compensated', { failedStep, reason: failure.reason, compensations });
  return result;
}

/** Sends a progress reply when the order asked for replies; a reply that cannot be sent never fails the order. */
function* reply(
  context: OrchestrationContext,
  order: OrderMessage,
  done: SagaStep[],
  step: string,
  outcome: ReplyOutcome,
  detail?: Record<string, unknown>,
): Generator<df.Task, void, unknown> {
  const message = buildReply(order, {
    step,
    outcome,
    at: context.df.currentUtcDateTime,
    progress: Math.round((done.length / sagaSteps.length) * 100),
    ...(detail === undefined ? {} : { detail }),
  });
  if (message === undefined) {
    return;
  }
  try {
    yield context.df.callActivityWithRetry(functionNames.sendReply, replyRetry(), message);
  } catch (error) {
    if (!context.df.isReplaying) {
      context.warn('Reply lost: neither Service Bus nor the retry queue took it', {
        orderId: order.orderId,
        messageId: message.messageId,
        error: messageOf(error),
      });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

df.app.orchestration(functionNames.processOrder, processOrder);
