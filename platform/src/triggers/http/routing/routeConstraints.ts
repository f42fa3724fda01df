/**
 * Inline route constraints as ASP.NET Core routing defines them (`{id:int}`, `{name:minlength(3)}`, …), the set the
 * Functions host accepts in `route`. Source: learn.microsoft.com/aspnet/core/fundamentals/routing "Route constraints".
 */

/** A compiled constraint: true when a (decoded) route value satisfies it. */
export type RouteConstraint = (value: string) => boolean;

type ConstraintFactory = (args: string[], argText: string) => RouteConstraint;

const int32 = { min: -2147483648n, max: 2147483647n };
const int64 = { min: -9223372036854775808n, max: 9223372036854775807n };
const integerPattern = /^\s*[+-]?\d+\s*$/;
const decimalPattern = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;
const floatPattern = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const guidPatterns = [
  /^[0-9a-f]{32}$/i,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i,
  /^\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/i,
];

function integerIn(range: { min: bigint; max: bigint }): RouteConstraint {
  return (value) => {
    if (!integerPattern.test(value)) {
      return false;
    }
    const number = BigInt(value.trim());
    return number >= range.min && number <= range.max;
  };
}

function toLong(value: string): bigint | undefined {
  return integerIn(int64)(value) ? BigInt(value.trim()) : undefined;
}

const factories: Record<string, ConstraintFactory> = {
  int: () => integerIn(int32),
  long: () => integerIn(int64),
  bool: () => (value) => /^\s*(true|false)\s*$/i.test(value),
  alpha: () => (value) => /^[a-z]*$/i.test(value),
  guid: () => (value) => guidPatterns.some((pattern) => pattern.test(value.trim())),
  datetime: () => (value) => value.trim() !== '' && !Number.isNaN(Date.parse(value)),
  decimal: () => (value) => decimalPattern.test(value),
  double: () => (value) => floatPattern.test(value),
  float: () => (value) => floatPattern.test(value),
  required: () => (value) => value !== '',
  file: () => (value) => /\.[^./]+$/.test(value.slice(value.lastIndexOf('/') + 1)),
  nonfile: () => (value) => !/\.[^./]+$/.test(value.slice(value.lastIndexOf('/') + 1)),
  minlength: (args) => {
    const min = oneNumber(args);
    return (value) => value.length >= min;
  },
  maxlength: (args) => {
    const max = oneNumber(args);
    return (value) => value.length <= max;
  },
  length: (args) => {
    if (args.length === 1) {
      const exact = oneNumber(args);
      return (value) => value.length === exact;
    }
    const [min, max] = twoNumbers(args);
    return (value) => value.length >= min && value.length <= max;
  },
  min: (args) => {
    const min = oneNumber(args);
    return (value) => compareLong(value, (n) => n >= BigInt(min));
  },
  max: (args) => {
    const max = oneNumber(args);
    return (value) => compareLong(value, (n) => n <= BigInt(max));
  },
  range: (args) => {
    const [min, max] = twoNumbers(args);
    return (value) => compareLong(value, (n) => n >= BigInt(min) && n <= BigInt(max));
  },
  // ASP.NET's regex constraint is case-insensitive and not anchored: the template must add ^ and $ itself.
  regex: (_args, argText) => {
    const pattern = new RegExp(argText, 'i');
    return (value) => pattern.test(value);
  },
};

function compareLong(value: string, test: (n: bigint) => boolean): boolean {
  const number = toLong(value);
  return number !== undefined && test(number);
}

function oneNumber(args: string[]): number {
  const [value] = numbers(args, 1);
  return value as number;
}

function twoNumbers(args: string[]): [number, number] {
  const [first, second] = numbers(args, 2);
  return [first as number, second as number];
}

/** Parses exactly `count` integer arguments, or throws saying what was expected. */
function numbers(args: string[], count: number): number[] {
  const parsed = args.map((arg) => (integerPattern.test(arg) ? Number(arg.trim()) : Number.NaN));
  if (parsed.length !== count || parsed.some((n) => Number.isNaN(n))) {
    throw new Error(`expected ${count} integer argument${count > 1 ? 's' : ''}, got (${args.join(',')})`);
  }
  return parsed;
}

/**
 * Builds one constraint from its name and the text between its parentheses (undefined without parentheses).
 * Throws an Error whose message says what was expected; the template parser wraps it with the template.
 */
export function createRouteConstraint(name: string, argText: string | undefined): RouteConstraint {
  const factory = factories[name.toLowerCase()];
  if (!factory) {
    throw new Error(`unknown constraint '${name}'; known constraints: ${Object.keys(factories).join(', ')}`);
  }
  const args = argText === undefined || argText === '' ? [] : argText.split(',');
  try {
    return factory(args, argText ?? '');
  } catch (error) {
    throw new Error(`constraint '${name}(${argText ?? ''})' is invalid: ${(error as Error).message}`);
  }
}
