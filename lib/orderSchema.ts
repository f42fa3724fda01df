import { z } from 'zod';

// Ids end up in instance ids, table keys and blob names, so they exclude '/', '\', '#', '?' and control characters.
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const idRule = 'letters, digits, "_", "." or "-", starting with a letter or digit, at most 64 characters';
// Service Bus entity names: letters, digits, '-', '_', '.', '/' (no leading or trailing symbol).
const entityPattern = /^[A-Za-z0-9](?:[\w\-./]{0,258}[A-Za-z0-9])?$/;

/** One order line: a catalogue SKU and how many. */
export const orderItemSchema = z.object({
  sku: z.string({ error: 'expected a string SKU' }).regex(idPattern, `expected a SKU of ${idRule}`),
  quantity: z
    .number({ error: 'expected a whole number quantity' })
    .int('expected a whole number quantity')
    .min(1, 'expected a quantity of at least 1')
    .max(1000, 'expected a quantity of at most 1000'),
});

/** The order message on the `orders` / `orders-high` queues and the body of `POST /api/orders`. */
export const orderMessageSchema = z.object({
  orderId: z.string({ error: 'expected a string order id' }).regex(idPattern, `expected an order id of ${idRule}`),
  customerId: z
    .string({ error: 'expected a string customer id' })
    .regex(idPattern, `expected a customer id of ${idRule}`),
  items: z
    .array(orderItemSchema, { error: 'expected an array of {sku, quantity}' })
    .min(1, 'expected at least one item')
    .max(50, 'expected at most 50 items'),
  replyTo: z
    .string({ error: 'expected a Service Bus queue or topic name' })
    .regex(entityPattern, 'expected a Service Bus queue or topic name')
    .optional(),
  replyToSessionId: z
    .string({ error: 'expected a string session id' })
    .min(1, 'expected a non-empty session id')
    .max(128, 'expected a session id of at most 128 characters')
    .optional(),
  correlationId: z
    .string({ error: 'expected a string correlation id' })
    .min(1, 'expected a non-empty correlation id')
    .max(128, 'expected a correlation id of at most 128 characters')
    .optional(),
  priority: z.enum(['high', 'normal'], { error: "expected 'high' or 'normal'" }).optional(),
});

/** An order message as sent (optional fields may be missing). */
export type OrderMessageInput = z.input<typeof orderMessageSchema>;

/** An order after validation, with defaults applied: correlationId = orderId, priority = normal. */
export interface OrderMessage {
  orderId: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
  replyTo?: string;
  replyToSessionId?: string;
  correlationId: string;
  priority: 'high' | 'normal';
}

/** Outcome of parsing: the order, or a reason that says expected vs received and where. */
export type ParseResult = { ok: true; order: OrderMessage } | { ok: false; reason: string };

/** Parses the text of a queue message (or HTTP body) into an order. */
export function parseOrderMessage(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `expected JSON, received ${preview(text)} (${(error as Error).message})` };
  }
  return validateOrderMessage(json);
}

/** Validates an already-decoded value (the queue trigger hands JSON messages over as objects). */
export function validateOrderMessage(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, received ${describeValue(value)}` };
  }
  const parsed = orderMessageSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map(describeIssue).join('; ') };
  }
  const { replyTo, replyToSessionId, ...rest } = parsed.data;
  return {
    ok: true,
    order: {
      ...rest,
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(replyToSessionId === undefined ? {} : { replyToSessionId }),
      correlationId: parsed.data.correlationId ?? parsed.data.orderId,
      priority: parsed.data.priority ?? 'normal',
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'message' : formatPath(issue.path);
  const received = 'input' in issue ? describeValue(issue.input) : 'nothing';
  return `at ${where}: ${issue.message}, received ${received}`;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  // JSON.stringify gives undefined only for functions and symbols, which JSON input cannot hold.
  return preview(JSON.stringify(value) ?? typeof value);
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
