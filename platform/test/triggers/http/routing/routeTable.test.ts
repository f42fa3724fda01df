import type { FunctionDefinition } from '../../../../src/host/functionIndex';
import { splitRequestPath } from '../../../../src/triggers/http/routing/routeMatcher';
import { buildRouteTable } from '../../../../src/triggers/http/routing/routeTable';

function httpFunction(name: string, options: Record<string, unknown>): FunctionDefinition {
  const trigger = { key: 'httpTrigger1', type: 'httpTrigger', direction: 'in' as const, options };
  return {
    name,
    trigger,
    inputs: [],
    outputs: [],
    retry: undefined,
    scriptFile: undefined,
    metadata: { name, bindings: {} },
  };
}

describe('buildRouteTable', () => {
  it('tries routes in alphabetical order of function name, as the host does', () => {
    const { table } = buildRouteTable([
      httpFunction('zRecent', { route: 'items/recent', methods: ['GET'] }),
      httpFunction('aItem', { route: 'items/{id}', methods: ['GET'] }),
    ]);

    const match = table.match(splitRequestPath('/items/recent'), 'GET');

    expect(match.kind === 'matched' && match.route.functionName).toBe('aItem');
  });

  it('lets two functions share a template when their methods differ', () => {
    const { table, errors } = buildRouteTable([
      httpFunction('read', { route: 'things', methods: ['GET'] }),
      httpFunction('write', { route: 'things', methods: ['post', 'PUT'] }),
    ]);

    const put = table.match(['things'], 'PUT');

    expect(errors).toEqual([]);
    expect(put.kind === 'matched' && put.route.functionName).toBe('write');
    expect(table.match(['things'], 'DELETE')).toEqual({ kind: 'methodNotAllowed', allow: ['GET', 'POST', 'PUT'] });
  });

  it('puts a function in error when its route conflicts with an earlier one, keeping the earlier', () => {
    const { table, errors } = buildRouteTable([
      httpFunction('second', { route: '/Things/', methods: ['GET', 'POST'] }),
      httpFunction('first', { route: 'things', methods: ['POST'] }),
    ]);

    expect(table.routes.map((r) => r.functionName)).toEqual(['first']);
    expect(errors.map((e) => [e.functionName, e.error.message])).toEqual([
      ['second', "The route specified conflicts with the route defined by function 'first'."],
    ]);
  });

  it('treats a function without methods as answering every method, which conflicts with any other', () => {
    const { table, errors } = buildRouteTable([
      httpFunction('any', { route: 'x' }),
      httpFunction('other', { route: 'x', methods: ['PATCH'] }),
    ]);

    expect(table.match(['x'], 'OPTIONS').kind).toBe('matched');
    expect(errors.map((e) => e.functionName)).toEqual(['other']);
  });

  it('refuses routes in the reserved admin and runtime spaces, and invalid options', () => {
    const { table, errors } = buildRouteTable([
      httpFunction('a', { route: 'administration/x' }),
      httpFunction('b', { route: 'Runtime/webhooks' }),
      httpFunction('c', { route: 'c', authLevel: 'user' }),
      httpFunction('d', { route: 'd', methods: 'GET' }),
    ]);

    expect(table.routes).toEqual([]);
    expect(errors.map((e) => e.error.message)).toEqual([
      'The specified route conflicts with one or more built in routes.',
      'The specified route conflicts with one or more built in routes.',
      "'authLevel' must be 'anonymous', 'function' or 'admin', but is \"user\".",
      '\'methods\' must be an array of HTTP method names, but is "GET".',
    ]);
  });

  it('uses the function name as the route and the function auth level when the options leave them out', () => {
    const { table } = buildRouteTable([httpFunction('Status', {})]);

    expect(table.routes[0]).toMatchObject({ authLevel: 'function', methods: undefined });
    expect(table.routes[0]?.template.text).toBe('Status');
  });
});
