/** True when a storage SDK error carries this HTTP status (and error code, when given). */
export function isStorageError(error: unknown, status: number, code?: string): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { statusCode, code: errorCode } = error as { statusCode?: unknown; code?: unknown };
  return statusCode === status && (code === undefined || errorCode === code);
}
