import type { RpcTypedData } from '../worker/rpc';

/** One value an output binding writes: text, or raw bytes. */
export type OutputItem = string | Buffer;

/**
 * The value of an output binding as text or bytes: strings and JSON stay as sent, bytes stay bytes, numbers become
 * their text. Undefined when nothing usable was set (the library never sends collections as output values).
 */
export function fromRpcTypedDataToItem(value: RpcTypedData): OutputItem | undefined {
  if (value.string !== undefined) {
    return value.string;
  }
  if (value.json !== undefined) {
    return value.json;
  }
  const bytes = value.bytes ?? value.stream;
  if (bytes !== undefined) {
    return Buffer.from(bytes);
  }
  const number = value.int ?? value.double;
  return number === undefined ? undefined : String(number);
}

/**
 * The messages an output value stands for: an array (a JSON array or an RPC collection) is one item per element,
 * where string elements are sent as they are and others as JSON; anything else is a single item.
 */
export function fromRpcTypedDataToItems(value: RpcTypedData): OutputItem[] {
  if (value.collectionString) {
    return value.collectionString.string;
  }
  if (value.collectionBytes) {
    return value.collectionBytes.bytes.map((bytes) => Buffer.from(bytes));
  }
  const numbers = value.collectionDouble?.double ?? value.collectionSint64?.sint64;
  if (numbers) {
    return numbers.map(String);
  }
  if (value.json !== undefined) {
    const parsed = parseJson(value.json);
    if (Array.isArray(parsed)) {
      return parsed.map((element) => (typeof element === 'string' ? element : JSON.stringify(element)));
    }
  }
  const single = fromRpcTypedDataToItem(value);
  return single === undefined ? [] : [single];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
