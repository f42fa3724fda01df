import type { HttpResponseInit } from '@azure/functions';

/** A JSON error body: a stable code and a message that says what was expected, what arrived and where. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): HttpResponseInit {
  return { status, jsonBody: { error: { code, message, ...extra } } };
}

/** Reads a JSON body, or reports why it is not one. */
export async function readJson(request: {
  text(): Promise<string>;
}): Promise<{ ok: true; text: string; value: unknown } | { ok: false; reason: string }> {
  const text = await request.text();
  try {
    return { ok: true, text, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      reason: `expected a JSON body, received ${text.length === 0 ? 'an empty body' : `'${text.slice(0, 60)}'`} (${(error as Error).message})`,
    };
  }
}
