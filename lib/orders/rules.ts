import type { StepOutcome } from './steps';

/** Decides whether a SKU has enough stock for a quantity. */
export function checkStock(sku: string, requested: number, available: number): StepOutcome<{ remaining: number }> {
  if (requested > available) {
    return {
      ok: false,
      code: 'outOfStock',
      reason: `SKU '${sku}': requested ${requested}, only ${Math.max(available, 0)} available`,
    };
  }
  return { ok: true, value: { remaining: available - requested } };
}

/** Decides whether a charge fits the customer's remaining credit. */
export function checkCredit(
  customerId: string,
  account: { creditLimitCents: number; balanceCents: number },
  amountCents: number,
): StepOutcome<{ balanceCents: number }> {
  const remaining = account.creditLimitCents - account.balanceCents;
  if (amountCents > remaining) {
    return {
      ok: false,
      code: 'paymentDeclined',
      reason: `customer '${customerId}': charge of ${formatCents(amountCents)} exceeds remaining credit of ${formatCents(remaining)}`,
    };
  }
  return { ok: true, value: { balanceCents: account.balanceCents + amountCents } };
}

/** Decides whether the carrier ships to an address. */
export function checkShippable(
  customerId: string,
  address: { country: string },
  refusedCountries: readonly string[],
): StepOutcome<null> {
  if (refusedCountries.includes(address.country.toUpperCase())) {
    return {
      ok: false,
      code: 'shipmentRefused',
      reason: `customer '${customerId}': the carrier does not ship to country '${address.country}'`,
    };
  }
  return { ok: true, value: null };
}

/** Cents as a currency amount for messages, e.g. 1234 → "12.34". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
