/** The saga's forward steps, in order, and the compensation that undoes each. */
export const sagaSteps = ['reserveInventory', 'chargePayment', 'createShipment', 'sendConfirmation'] as const;

/** A forward step of the order saga. */
export type SagaStep = (typeof sagaSteps)[number];

/** A compensating step; sending a confirmation is the last step and is never undone. */
export type Compensation = 'releaseInventory' | 'refundPayment' | 'cancelShipment';

/** What undoes each forward step (none for the confirmation: nothing runs after it). */
export const compensationFor: Record<SagaStep, Compensation | undefined> = {
  reserveInventory: 'releaseInventory',
  chargePayment: 'refundPayment',
  createShipment: 'cancelShipment',
  sendConfirmation: undefined,
};

/** Result of a step: done (with details), or refused for a business reason that retrying cannot change. */
export type StepOutcome<T> = { ok: true; value: T } | { ok: false; code: RefusalCode; reason: string };

/** Why a step refused an order. */
export type RefusalCode =
  'unknownSku' | 'outOfStock' | 'unknownCustomer' | 'paymentDeclined' | 'shipmentRefused' | 'confirmationFailed';

/** The order orchestration's output. */
export interface OrderResult {
  orderId: string;
  status: 'completed' | 'compensated';
  totalCents?: number;
  shipmentId?: string;
  failedStep?: SagaStep;
  failureCode?: RefusalCode | 'transient';
  failureReason?: string;
  compensations: Compensation[];
}

/** What `customStatus` shows while an order runs. */
export interface OrderProgress {
  step: SagaStep | Compensation | 'done';
  completedSteps: SagaStep[];
  /** Whole percent of the forward steps done. */
  progress: number;
}

/** Progress after the given forward steps completed. */
export function toOrderProgress(step: OrderProgress['step'], completedSteps: SagaStep[]): OrderProgress {
  return {
    step,
    completedSteps: [...completedSteps],
    progress: Math.round((completedSteps.length / sagaSteps.length) * 100),
  };
}
