/**
 * Named failures of the local platform. "Configuration" and "bad input" errors are the user's to fix; a
 * `PlatformBugError` means an invariant of ours broke.
 */

/** Base class: every platform error carries a stable code. */
export abstract class PlatformError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A setting, file or function declaration that stops the host from starting. */
export class ConfigurationError extends PlatformError {
  readonly code = 'Configuration';

  constructor(
    message: string,
    readonly where: { file?: string; functionName?: string; setting?: string } = {},
  ) {
    super(message);
  }
}

/** The app failed to load: entry point missing, threw while loading, or registered nothing usable. */
export class AppLoadError extends PlatformError {
  readonly code = 'AppLoad';
}

/** Raised by `@azure/functions-core` calls the real worker also refuses (late registration, duplicates). */
export class CoreApiError extends PlatformError {
  readonly code = 'CoreApi';
}

/** An invocation ran past `functionTimeout`. */
export class FunctionTimeoutError extends PlatformError {
  readonly code = 'FunctionTimeout';

  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    readonly timeoutMs: number,
  ) {
    super(
      `Timeout value of ${formatDuration(timeoutMs)} exceeded by function '${functionName}' (Id: '${invocationId}').`,
    );
  }
}

/** An invariant of the platform itself broke: a bug here, not in the app or its input. */
export class PlatformBugError extends PlatformError {
  readonly code = 'PlatformBug';
}

/** Turns anything thrown into an Error, as the real worker does: strings become the message, objects are JSON. */
export function ensureError(thrown: unknown): Error {
  if (thrown instanceof Error) {
    return thrown;
  }
  if (typeof thrown === 'string') {
    return new Error(thrown);
  }
  let text: string;
  try {
    text = JSON.stringify(thrown) ?? String(thrown);
  } catch {
    text = String(thrown);
  }
  return new Error(text);
}

function formatDuration(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const hh = String(Math.floor(totalSeconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((totalSeconds % 3600) / 60)).padStart(2, '0');
  const ss = String(totalSeconds % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}
