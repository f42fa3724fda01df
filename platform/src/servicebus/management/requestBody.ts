import { toGuidString } from '../amqp/lockToken';
import { BadRequestError } from '../errors';

/** Typed reads of a `$management` request body; a missing or mistyped field is a BadRequestError naming it. */
export class RequestBody {
  constructor(
    private readonly operation: string,
    private readonly fields: Record<string, unknown>,
  ) {}

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== null;
  }

  string(name: string): string {
    const value = this.fields[name];
    if (typeof value !== 'string') {
      throw this.wrongType(name, 'a string', value);
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  number(name: string): number {
    return toNumber(this.fields[name]) ?? this.fail(name, 'a number');
  }

  /** A list of AMQP longs (sequence numbers): numbers, or 8-byte buffers when rhea could not fit them. */
  sequenceNumbers(name: string): number[] {
    return this.list(name).map((item) => toNumber(item) ?? this.fail(name, 'a list of sequence numbers'));
  }

  /** A list of AMQP uuids (lock tokens) as GUID strings. */
  lockTokens(name: string): string[] {
    return this.list(name).map((item) => {
      if (!Buffer.isBuffer(item) || item.length !== 16) {
        return this.fail(name, 'a list of uuids');
      }
      return toGuidString(item);
    });
  }

  list(name: string): unknown[] {
    const value = this.fields[name];
    if (!Array.isArray(value)) {
      throw this.wrongType(name, 'a list', value);
    }
    return value;
  }

  optionalMap(name: string): Record<string, unknown> | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
      throw this.wrongType(name, 'a map', value);
    }
    return value as Record<string, unknown>;
  }

  optionalBinary(name: string): Buffer | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!Buffer.isBuffer(value)) {
      throw this.wrongType(name, 'binary', value);
    }
    return value;
  }

  private fail(name: string, expected: string): never {
    throw this.wrongType(name, expected, this.fields[name]);
  }

  private wrongType(name: string, expected: string, value: unknown): BadRequestError {
    const actual = value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value;
    return new BadRequestError(`The '${this.operation}' request needs '${name}' as ${expected}, got ${actual}.`);
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (Buffer.isBuffer(value) && value.length === 8) {
    return Number(value.readBigInt64BE(0));
  }
  return undefined;
}
