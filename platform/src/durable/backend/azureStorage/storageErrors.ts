/** The HTTP status of a failed Azure SDK call (RestError), or undefined for other errors. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** True when a storage call failed with one of the given HTTP statuses. */
export function failedWith(error: unknown, ...statuses: number[]): boolean {
  const status = statusCodeOf(error);
  return status !== undefined && statuses.includes(status);
}
