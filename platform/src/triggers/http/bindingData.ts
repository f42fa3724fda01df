/** What an HTTP request offers to `{token}` expressions in the function's other bindings. */
export interface HttpBindingSources {
  readonly values: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

/**
 * Binding data of an HTTP invocation: a JSON object body's top-level properties, `Query` and `Headers` objects
 * (`{Query.name}`), and the route values, which win over body properties of the same name.
 * Source: learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns ("JSON payloads").
 */
export function toHttpBindingData(sources: HttpBindingSources): Record<string, unknown> {
  return {
    ...jsonBodyProperties(sources.headers['content-type'], sources.body),
    Query: sources.query,
    Headers: sources.headers,
    ...sources.values,
  };
}

function jsonBodyProperties(contentType: string | undefined, body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0 || !contentType?.toLowerCase().includes('json')) {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    // A body that is not JSON simply offers no properties, as in the host.
    return {};
  }
}
