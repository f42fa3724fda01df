import {
  BindingExpressionError,
  formatDateTime,
  hasBindingExpressions,
  resolveBindingExpressions,
} from '../../src/bindings/bindingExpressions';

const where = { functionName: 'writer', bindingKey: 'report', property: 'path' };
const runtime = {
  now: () => new Date('2018-02-16T17:59:55.123Z'),
  newGuid: () => '0f8fad5b-d9cb-469f-a165-70867728950e',
};

describe('binding expressions', () => {
  it('fills tokens from binding data case-insensitively, reaching into objects with dots', () => {
    const data = { orderId: 42, Customer: { Name: 'ada' } };

    const path = resolveBindingExpressions('out/{OrderID}/{customer.name}.json', data, where, runtime);

    expect(path).toBe('out/42/ada.json');
  });

  it('resolves {DateTime} like the documented example and {rand-guid} to a new GUID', () => {
    expect(resolveBindingExpressions('c/{DateTime}.txt', {}, where, runtime)).toBe('c/2018-02-16T17-59-55Z.txt');
    expect(resolveBindingExpressions('c/{rand-guid}', {}, where, runtime)).toBe(
      'c/0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(resolveBindingExpressions('c/{rand-guid:N}', {}, where, runtime)).toBe('c/0f8fad5bd9cb469fa16570867728950e');
  });

  it('applies a .NET-style format to {DateTime}', () => {
    expect(resolveBindingExpressions('logs/{DateTime:yyyy/MM/dd}/x', {}, where, runtime)).toBe('logs/2018/02/16/x');
    expect(formatDateTime(runtime.now(), 'HH:mm:ss.fff')).toBe('17:59:55.123');
  });

  it('keeps doubled braces as literal braces', () => {
    expect(resolveBindingExpressions('c/{{literal}}-{id}', { id: 1 }, where, runtime)).toBe('c/{literal}-1');
    expect(hasBindingExpressions('c/{{literal}}')).toBe(false);
    expect(hasBindingExpressions('c/{id}')).toBe(true);
  });

  it('fails with the function, binding, template and missing token when the data has no value', () => {
    const run = () => resolveBindingExpressions('out/{orderId}.json', { Id: 'm' }, where, runtime);

    expect(run).toThrow(BindingExpressionError);
    expect(run).toThrow(
      "Function 'writer': binding 'report' path 'out/{orderId}.json' needs a value for '{orderId}', but the trigger " +
        'supplied none. Available: Id.',
    );
  });
});
