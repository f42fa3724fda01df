import { defaults } from '../../lib/config';
import { settings } from '../../lib/names';
import { objectVariableEntries, objectVariableKeys, objectVariableNames, stringLiteralValue } from './bicepText';
import { settingReads, unresolvedEnvReads, type SettingRead } from './codeScan';
import { appSourceFiles, readRepoFile } from './repoFiles';

const settingsFile = 'infra/app/app-settings.bicep';

// Set by the Functions platform on every app, so the templates do not set them.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-app-settings
// Source: https://learn.microsoft.com/azure/app-service/reference-app-settings (WEBSITE_* variables)
const platformProvided = new Set([
  'WEBSITE_SITE_NAME',
  'WEBSITE_HOSTNAME',
  'WEBSITE_INSTANCE_ID',
  'FUNCTIONS_EXTENSION_VERSION',
  'AZURE_FUNCTIONS_ENVIRONMENT',
]);

// The settings that turn a connection name into an identity-based connection.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-reference#common-properties-for-identity-based-connections
const identityTargets = [
  'accountName',
  'fullyQualifiedNamespace',
  'serviceUri',
  'blobServiceUri',
  'queueServiceUri',
  'tableServiceUri',
];

/** Every setting key written as an object literal in the settings template. */
function infraSettings(): Set<string> {
  const text = readRepoFile(settingsFile);
  return new Set(objectVariableNames(text).flatMap((name) => objectVariableKeys(text, name, settingsFile)));
}

interface NamedRead extends SettingRead {
  name: string;
  file: string;
}

/** Every setting read in the app code, with settings members of lib/names.ts resolved to their names. */
function codeReads(): { reads: NamedRead[]; suffixReads: string[]; unknownKeys: string[] } {
  const reads: NamedRead[] = [];
  const suffixReads: string[] = [];
  const unknownKeys: string[] = [];

  for (const file of appSourceFiles()) {
    for (const read of settingReads(readRepoFile(file))) {
      const reference = read.reference;
      if (reference.kind === 'literal') {
        reads.push({ ...read, name: reference.name, file });
      } else if (reference.kind === 'connectionSuffix') {
        suffixReads.push(reference.suffix);
      } else if (reference.key in settings) {
        reads.push({ ...read, name: settings[reference.key as keyof typeof settings], file });
      } else {
        unknownKeys.push(`${file}: settings.${reference.key}`);
      }
    }
  }

  return { reads, suffixReads, unknownKeys };
}

/** Connection names: every binding `connection` plus the settings in lib/names.ts named as connections. */
function connectionNames(reads: NamedRead[]): Set<string> {
  const fromNames = Object.entries(settings)
    .filter(([key]) => key.endsWith('Connection'))
    .map(([, name]) => name);
  return new Set([...fromNames, ...reads.filter((read) => read.via === 'connection').map((read) => read.name)]);
}

function hasIdentityForm(infra: Set<string>, connection: string): boolean {
  return identityTargets.some((target) => infra.has(`${connection}__${target}`));
}

describe('app settings in infra/app/app-settings.bicep', () => {
  it('include every setting named in lib/names.ts, connections in their identity-based form', () => {
    const infra = infraSettings();
    const { reads } = codeReads();
    const connections = connectionNames(reads);

    const missing = Object.values(settings).filter((name) =>
      connections.has(name) ? !hasIdentityForm(infra, name) : !infra.has(name),
    );

    expect(missing).toEqual([]);
  });

  it('connect to storage by account name and to Service Bus by namespace, with the managed identity', () => {
    const infra = infraSettings();

    for (const connection of [settings.storageConnection, settings.serviceBusConnection]) {
      expect(infra).toContain(`${connection}__credential`);
      expect(infra).toContain(`${connection}__clientId`);
    }
    expect(infra).toContain(`${settings.storageConnection}__accountName`);
    expect(infra).toContain(`${settings.serviceBusConnection}__fullyQualifiedNamespace`);
  });

  it('include every setting the app code reads from process.env, a binding connection or a %Setting% expression', () => {
    const infra = infraSettings();
    const { reads } = codeReads();
    const connections = connectionNames(reads);

    const missing = reads
      .filter((read) => !platformProvided.has(read.name) && !infra.has(read.name))
      .filter((read) => !(connections.has(read.name) && hasIdentityForm(infra, read.name)))
      .map((read) => `${read.file}: ${read.name} (read via ${read.via}) is not set in ${settingsFile}`);

    expect(missing).toEqual([]);
  });

  it('leave no connection read as a plain connection string without an identity-based fallback', () => {
    // In Azure only `<connection>__accountName` / `__fullyQualifiedNamespace` exist; code reading process.env.<name>
    // alone gets undefined there, so it must also read the identity-based form.
    const infra = infraSettings();
    const { reads, suffixReads } = codeReads();
    const connections = connectionNames(reads);
    const readNames = new Set(reads.map((read) => read.name));

    const plainOnly = reads
      .filter((read) => read.via === 'env' && connections.has(read.name) && !infra.has(read.name))
      .filter((read) => suffixReads.length === 0 && ![...readNames].some((name) => name.startsWith(`${read.name}__`)))
      .map((read) => `${read.file}: reads process.env.${read.name} but never ${read.name}__<accountName|...>`);

    expect(plainOnly).toEqual([]);
  });

  it('can name every setting the app code reads', () => {
    const { unknownKeys } = codeReads();
    const unresolved = appSourceFiles().flatMap((file) =>
      unresolvedEnvReads(readRepoFile(file)).map((expression) => `${file}: process.env[${expression}]`),
    );

    expect(unknownKeys).toEqual([]);
    expect(unresolved).toEqual([]);
  });

  it('set each tunable job setting to the default lib/config.ts applies when it is absent', () => {
    const text = readRepoFile(settingsFile);
    const values = new Map(
      objectVariableNames(text).flatMap((name) => [...objectVariableEntries(text, name, settingsFile)]),
    );
    const nightlyDefault = /param\s+nightlySchedule\s+string\s*=\s*('[^']*')/.exec(readRepoFile('infra/main.bicep'));

    const drifted = Object.entries(defaults)
      .filter(([key]) => key in settings)
      .map(([key, value]) => {
        const name = settings[key as keyof typeof settings];
        const expected = Array.isArray(value) ? value.join(',') : String(value);
        const written = values.get(name) ?? '';
        const actual = stringLiteralValue(key === 'nightlySchedule' ? (nightlyDefault?.[1] ?? '') : written);
        return { name, expected, actual };
      })
      .filter(({ expected, actual }) => expected !== actual);

    expect(drifted).toEqual([]);
  });
});
