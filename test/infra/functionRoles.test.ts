import { containers, functionNames } from '../../lib/names';
import {
  blobTriggerContainer,
  functionRegistrations,
  usesEventGridSource,
  type FunctionRegistration,
} from './codeScan';
import { appSourceFiles, readRepoFile } from './repoFiles';

const manifestFile = 'infra/app/app.json';

interface Manifest {
  functions: { api: string[]; worker: string[] };
  blobTriggers: { function: string; container: string }[];
}

interface Located extends FunctionRegistration {
  file: string;
}

function manifest(): Manifest {
  return JSON.parse(readRepoFile(manifestFile)) as Manifest;
}

/** Resolves `functionNames.<key>` (lib/names.ts) when the scanner could not name the function itself. */
function resolvedName(registration: FunctionRegistration): string | undefined {
  if (registration.name !== undefined) return registration.name;
  const key = /(?:^|\.)functionNames\.(\w+)$/.exec(registration.nameExpression)?.[1];
  return key !== undefined && key in functionNames ? functionNames[key as keyof typeof functionNames] : undefined;
}

function registrations(): Located[] {
  return appSourceFiles().flatMap((file) =>
    functionRegistrations(readRepoFile(file)).map((registration) => ({
      ...registration,
      name: resolvedName(registration),
      file,
    })),
  );
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe('the split between the API app and the worker app (infra/app/app.json)', () => {
  it('can name every registered function', () => {
    const unnamed = registrations()
      .filter((registration) => registration.name === undefined)
      .map((r) => `${r.file}: ${r.method}(${r.nameExpression}, ...) - use a literal, a const or functionNames.<key>`);

    expect(unnamed).toEqual([]);
  });

  it('puts every HTTP function in the API app and every other function in the worker app', () => {
    const found = registrations();
    const { functions } = manifest();

    expect(sorted(functions.api)).toEqual(sorted(found.filter((r) => r.group === 'http').map((r) => r.name ?? '')));
    expect(sorted(functions.worker)).toEqual(sorted(found.filter((r) => r.group !== 'http').map((r) => r.name ?? '')));
  });

  it('lists no function name with a hyphen, since those cannot be disabled on Linux', () => {
    // Source: https://learn.microsoft.com/azure/azure-functions/disable-function#considerations
    const { functions } = manifest();

    expect([...functions.api, ...functions.worker].filter((name) => name.includes('-'))).toEqual([]);
  });

  it('lists every blob trigger with its container, and each uses the Event Grid source', () => {
    const blobRegistrations = registrations().filter((r) => r.group === 'blob');

    const expected = blobRegistrations.map((registration) => {
      const container = blobTriggerContainer(registration.argumentsText);
      const name =
        container?.kind === 'containersKey'
          ? containers[container.key as keyof typeof containers]
          : container?.kind === 'literal'
            ? container.container
            : `<path of ${registration.file} not readable>`;
      return { function: registration.name ?? '', container: name };
    });
    const withoutEventGrid = blobRegistrations
      .filter((registration) => !usesEventGridSource(registration.argumentsText))
      .map((registration) => `${registration.file}: ${registration.name ?? registration.nameExpression}`);

    expect(manifest().blobTriggers).toEqual(expected);
    expect(withoutEventGrid).toEqual([]);
  });

  it('watches only containers that lib/names.ts declares', () => {
    const declared = new Set<string>(Object.values(containers));

    expect(manifest().blobTriggers.filter((trigger) => !declared.has(trigger.container))).toEqual([]);
  });
});
