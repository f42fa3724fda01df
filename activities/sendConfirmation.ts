import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { readConfig } from '../lib/config';
import { containers, functionNames } from '../lib/names';
import { buildConfirmation } from '../lib/orders/confirmation';
import { confirmationBlobName } from '../lib/orders/keys';
import { readCustomer } from '../lib/orders/ledgerStore';
import type { PricedLine } from '../lib/orders/pricing';
import type { StepOutcome } from '../lib/orders/steps';
import { getServiceBusClient } from '../lib/serviceBus';
import { getStorage } from '../lib/storage';
import { isConflict } from '../lib/storageErrors';

/** Input of `sendConfirmation`. */
export interface SendConfirmationInput {
  orderId: string;
  customerId: string;
  lines: PricedLine[];
  totalCents: number;
  shipmentId: string;
  at: string;
}

/**
 * Writes the confirmation email to the `outbox` container (created only if absent, so a retry writes nothing twice)
 * and, with CONFIRMATION_SENDER=serviceBus, also sends it to the confirmation queue with a fixed message id.
 */
export async function sendConfirmation(
  input: SendConfirmationInput,
  _context: InvocationContext,
): Promise<StepOutcome<{ blobName: string }>> {
  const storage = getStorage();
  const config = readConfig();
  const customer = await readCustomer(storage, input.customerId);
  if (customer === undefined) {
    return { ok: false, code: 'confirmationFailed', reason: `customer '${input.customerId}' does not exist` };
  }
  const email = buildConfirmation({ ...input, email: customer.email, customerName: customer.name });
  const blobName = confirmationBlobName(input.orderId);

  const text = JSON.stringify(email, null, 2);
  try {
    await storage
      .container(containers.outbox)
      .getBlockBlobClient(blobName)
      .upload(text, Buffer.byteLength(text), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
  } catch (error) {
    if (!isConflict(error)) {
      throw error;
    }
  }

  if (config.confirmationSender === 'serviceBus') {
    const sender = getServiceBusClient(config.serviceBusTimeoutSeconds * 1000).createSender(config.confirmationQueue);
    try {
      await sender.sendMessages({
        body: email,
        contentType: 'application/json',
        messageId: `${input.orderId}:confirmation`,
      });
    } finally {
      await sender.close();
    }
  }
  return { ok: true, value: { blobName } };
}

df.app.activity(functionNames.sendConfirmation, { handler: sendConfirmation });
