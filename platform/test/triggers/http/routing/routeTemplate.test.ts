import { RouteTemplateError } from '../../../../src/triggers/http/errors';
import { matchRouteTemplate, splitRequestPath } from '../../../../src/triggers/http/routing/routeMatcher';
import { parseRouteTemplate } from '../../../../src/triggers/http/routing/routeTemplate';

const match = (template: string, path: string) =>
  matchRouteTemplate(parseRouteTemplate(template), splitRequestPath(path));

describe('parseRouteTemplate', () => {
  it('reads parameters with their optional, default and catch-all markers', () => {
    const template = parseRouteTemplate('/orders/{id:int}/{view=summary}/{*rest}/');

    expect(template.text).toBe('orders/{id:int}/{view=summary}/{*rest}');
    expect(template.parameters.map((p) => [p.name, p.optional, p.defaultValue, p.catchAll])).toEqual([
      ['id', false, undefined, false],
      ['view', false, 'summary', false],
      ['rest', false, undefined, true],
    ]);
  });

  it.each([
    ['a//b', "'/' may not appear twice in a row"],
    ['a/{id', "has a '{' without a closing '}'"],
    ['a/id}', "has a '}' without a matching '{'"],
    ['{*rest}/more', 'catch-all parameter may only appear in the last segment'],
    ['{id}/{ID}', "the parameter name 'ID' appears more than once"],
    ['{id:nosuch}', "unknown constraint 'nosuch'"],
    ['{id:range(1)}', "constraint 'range(1)' is invalid: expected 2 integer arguments"],
    ['{a}{b}', 'two parameters in a row'],
    ['{*rest?}', 'cannot be marked optional'],
    ['a?b', "'?' in 'a?b' may only mark an optional parameter"],
  ])('refuses %s, saying what is wrong', (template, reason) => {
    const parse = () => parseRouteTemplate(template, 'fn');

    expect(parse).toThrow(RouteTemplateError);
    expect(parse).toThrow(reason);
    expect(parse).toThrow(`The route template '${template}' is invalid`);
  });
});

describe('matchRouteTemplate', () => {
  it('matches literals ignoring case and tolerates one trailing slash', () => {
    expect(match('Orders/Recent', '/orders/RECENT/')).toEqual({});
    expect(match('orders/recent', '/orders/recent/x')).toBeUndefined();
    expect(match('orders/recent', '/orders')).toBeUndefined();
  });

  it('decodes parameter values and refuses empty segments', () => {
    expect(match('users/{name}', '/users/J%C3%BCrgen%20K')).toEqual({ name: 'Jürgen K' });
    expect(match('users/{name}/x', '/users//x')).toBeUndefined();
  });

  it('leaves out optional parameters and fills defaults only when the path ends early', () => {
    expect(match('items/{id?}/{view?}', '/items')).toEqual({});
    expect(match('items/{id?}/{view?}', '/items/7')).toEqual({ id: '7' });
    expect(match('items/{id}/{view=full}', '/items/7')).toEqual({ id: '7', view: 'full' });
    expect(match('items/{id?}/fixed', '/items')).toBeUndefined();
  });

  it('gives a catch-all the rest of the path', () => {
    expect(match('files/{*path}', '/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(match('files/{**path}', '/files')).toEqual({});
    expect(match('files/{*path=index.html}', '/files')).toEqual({ path: 'index.html' });
  });

  it('matches segments with several parts, finding literals from the right', () => {
    expect(match('docs/{name}.{ext}', '/docs/report.final.pdf')).toEqual({ name: 'report.final', ext: 'pdf' });
    expect(match('docs/{name}.{ext?}', '/docs/readme')).toEqual({ name: 'readme' });
    expect(match('docs/v{major:int}', '/docs/v2')).toEqual({ major: '2' });
    expect(match('docs/v{major:int}', '/docs/vx')).toBeUndefined();
  });

  it.each([
    ['{v:int}', '42', '4.2'],
    ['{v:int}', '-2147483648', '2147483648'],
    ['{v:long}', '9223372036854775807', '9223372036854775808'],
    ['{v:bool}', 'TRUE', 'yes'],
    ['{v:alpha}', 'abcXYZ', 'abc1'],
    ['{v:guid}', '0f8fad5b-d9cb-469f-a165-70867728950e', '0f8fad5b-d9cb'],
    ['{v:datetime}', '2024-02-29', 'not-a-date'],
    ['{v:decimal}', '1.5', '1e5'],
    ['{v:double}', '1e5', 'x1'],
    ['{v:float}', '-0.25', '--1'],
    ['{v:minlength(3)}', 'abc', 'ab'],
    ['{v:maxlength(3)}', 'abc', 'abcd'],
    ['{v:length(2)}', 'ab', 'abc'],
    ['{v:length(2,3)}', 'abc', 'a'],
    ['{v:min(10)}', '10', '9'],
    ['{v:max(10)}', '10', '11'],
    ['{v:range(1,3)}', '3', '4'],
    ['{v:regex(^[a-z]{{2}}\\d+$)}', 'AB12', 'abc12'],
    ['{v:int:min(5)}', '5', '4'],
    ['{v:file}', 'photo.jpg', 'photo'],
    ['{v:nonfile}', 'photo', 'photo.jpg'],
  ])('%s accepts %s and refuses %s', (template, good, bad) => {
    expect(match(template, `/${good}`)).toEqual({ v: good });
    expect(match(template, `/${bad}`)).toBeUndefined();
  });

  it('checks a constraint on an optional parameter only when the value is there', () => {
    expect(match('p/{id:int?}', '/p')).toEqual({});
    expect(match('p/{id:int?}', '/p/x')).toBeUndefined();
  });
});
