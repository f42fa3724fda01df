import type { PricedLine } from './pricing';
import { formatCents } from './rules';

/** The email document written to the outbox for an order. */
export interface ConfirmationEmail {
  orderId: string;
  to: string;
  subject: string;
  text: string;
  lines: PricedLine[];
  totalCents: number;
  shipmentId: string;
  createdAt: string;
}

/** Builds the confirmation email for a completed order; pure, so a retry writes the same document. */
export function buildConfirmation(input: {
  orderId: string;
  email: string;
  customerName: string;
  lines: PricedLine[];
  totalCents: number;
  shipmentId: string;
  at: string;
}): ConfirmationEmail {
  const lineText = input.lines.map(
    (line) =>
      `  ${line.quantity} × ${line.sku} at ${formatCents(line.unitPriceCents)} = ${formatCents(line.lineCents)}`,
  );
  return {
    orderId: input.orderId,
    to: input.email,
    subject: `Order ${input.orderId} confirmed`,
    text: [
      `Hello ${input.customerName},`,
      '',
      `your order ${input.orderId} is confirmed and ships as ${input.shipmentId}.`,
      ...lineText,
      `Total: ${formatCents(input.totalCents)}`,
    ].join('\n'),
    lines: input.lines,
    totalCents: input.totalCents,
    shipmentId: input.shipmentId,
    createdAt: input.at,
  };
}
