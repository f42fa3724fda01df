import {
  BicepShapeError,
  loadJsonContentCalls,
  moduleBody,
  modulePaths,
  objectVariableEntries,
  objectVariableKeys,
  objectVariableNames,
  outputNames,
  parameterNames,
  stringLiteralValue,
  stripBicepComments,
} from './bicepText';

const sample = `
// a comment with var hidden = { nope: 1 }
param role string
@description('an // inside a string stays')
param note string = 'x // y'

var settings = {
  Plain: 'a'
  'Quoted.Key': 'b'
  Nested: {
    Inner: 1
  }
  List: [
    { NotAKey: 2 }
  ]
  Escaped: 'it\\'s: fine'
  /* block */ After: 3
}

var other = union(settings, { X: 1 })
var manifest = loadJsonContent('app/app.json')
var hub = loadJsonContent('../host.json', '$.extensions.durableTask.hubName')

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  params: {
    queueNames: manifest.storage.queues
  }
}

module api 'core/host/app.bicep' = if (split) {
  name: 'api'
}

output NAME string = 'n'
output other object = {}
`;

describe('Bicep text readers', () => {
  it('drops line and block comments but keeps comment markers inside strings', () => {
    const stripped = stripBicepComments(sample);

    expect(stripped).not.toContain('a comment');
    expect(stripped).not.toContain('block');
    expect(stripped).toContain("'x // y'");
    expect(stripped).toContain("'an // inside a string stays'");
  });

  it('lists the top-level keys of an object variable, quoted or not, and ignores nested keys', () => {
    expect(objectVariableKeys(sample, 'settings', 'sample.bicep')).toEqual([
      'Plain',
      'Quoted.Key',
      'Nested',
      'List',
      'Escaped',
      'After',
    ]);
  });

  it('gives each top-level entry with the source text of its value', () => {
    const entries = objectVariableEntries(sample, 'settings', 'sample.bicep');

    expect(entries.get('Plain')).toBe("'a'");
    expect(entries.get('Nested')?.replace(/\s+/g, ' ')).toBe('{ Inner: 1 }');
    expect(entries.get('Escaped')).toBe("'it\\'s: fine'");
  });

  it('reads plain string literals and refuses interpolated or non-string values', () => {
    expect(stringLiteralValue("'64,256,1024'")).toBe('64,256,1024');
    expect(stringLiteralValue("'it\\'s'")).toBe("it's");
    expect(stringLiteralValue("'${name}'")).toBeUndefined();
    expect(stringLiteralValue('nightlySchedule')).toBeUndefined();
  });

  it('names only the variables that are object literals', () => {
    expect(objectVariableNames(sample)).toEqual(['settings']);
  });

  it('reports a missing object variable with the file and what was expected', () => {
    expect(() => objectVariableKeys(sample, 'missing', 'sample.bicep')).toThrow(BicepShapeError);
    expect(() => objectVariableKeys(sample, 'missing', 'sample.bicep')).toThrow(
      'sample.bicep: expected "var missing = { ... }"',
    );
  });

  it('finds loadJsonContent calls with and without a JSON path', () => {
    expect(loadJsonContentCalls(sample)).toEqual([
      { path: 'app/app.json' },
      { path: '../host.json', jsonPath: '$.extensions.durableTask.hubName' },
    ]);
  });

  it('lists module paths, outputs and parameters', () => {
    expect(modulePaths(sample)).toEqual(['core/storage/storage-account.bicep', 'core/host/app.bicep']);
    expect(outputNames(sample)).toEqual(['NAME', 'other']);
    expect(parameterNames(sample)).toEqual(['role', 'note']);
  });

  it('returns the body of a module, conditional or not', () => {
    expect(moduleBody(sample, 'storage', 'sample.bicep')).toContain('queueNames: manifest.storage.queues');
    expect(moduleBody(sample, 'api', 'sample.bicep')).toContain("name: 'api'");
    expect(() => moduleBody(sample, 'nope', 'sample.bicep')).toThrow(BicepShapeError);
  });
});
