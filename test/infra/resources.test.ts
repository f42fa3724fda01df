import { containers, poisonQueues, queues, serviceBusQueues, tables } from '../../lib/names';
import { loadJsonContentCalls, moduleBody } from './bicepText';
import { fromEmulatorConfig } from './emulatorConfig';
import { readRepoFile, repoFileExists } from './repoFiles';

const mainFile = 'infra/main.bicep';
const manifestFile = 'infra/app/app.json';
const emulatorConfigFile = 'servicebus-config.json';

interface Manifest {
  storage: { queues: string[]; poisonQueues: string[]; containers: string[]; tables: string[] };
  apiQueues: string[];
}

function manifest(): Manifest {
  return JSON.parse(readRepoFile(manifestFile)) as Manifest;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe('storage resources in the Azure templates', () => {
  it('list exactly the queues, poison queues, containers and tables of lib/names.ts', () => {
    const { storage } = manifest();

    expect(sorted(storage.queues)).toEqual(sorted(Object.values(queues)));
    expect(sorted(storage.poisonQueues)).toEqual(sorted(Object.values(poisonQueues)));
    expect(sorted(storage.containers)).toEqual(sorted(Object.values(containers)));
    expect(sorted(storage.tables)).toEqual(sorted(Object.values(tables)));
  });

  it('are all handed to the storage account module, which creates them', () => {
    const main = readRepoFile(mainFile);
    const storageModule = moduleBody(main, 'storage', mainFile);

    expect(loadJsonContentCalls(main)).toContainEqual({ path: 'app/app.json' });
    expect(storageModule).toMatch(/containerNames:\s*concat\(\s*manifest\.storage\.containers/);
    expect(storageModule).toMatch(/queueNames:\s*concat\(manifest\.storage\.queues, manifest\.storage\.poisonQueues\)/);
    expect(storageModule).toMatch(/tableNames:\s*concat\(manifest\.storage\.tables/);
  });

  it('give the API app send rights only on queues the app declares', () => {
    const { apiQueues, storage } = manifest();

    expect(apiQueues.filter((queue) => !storage.queues.includes(queue))).toEqual([]);
  });

  it('derive the task hub resources from the hub name in host.json, which must be letters and digits', () => {
    const hostJson = JSON.parse(readRepoFile('host.json')) as { extensions?: { durableTask?: { hubName?: unknown } } };
    const hubName = hostJson.extensions?.durableTask?.hubName;

    // Explicit hub names must start with a letter and hold only letters and digits (Durable extension validation).
    expect(hubName).toEqual(expect.stringMatching(/^[A-Za-z][A-Za-z0-9]{2,44}$/));
    expect(loadJsonContentCalls(readRepoFile(mainFile))).toContainEqual({
      path: '../host.json',
      jsonPath: '$.extensions.durableTask.hubName',
    });
  });
});

describe('Service Bus entities', () => {
  it('are declared in the local emulator config at the repository root', () => {
    expect(repoFileExists(emulatorConfigFile)).toBe(true);
  });

  it('match the Service Bus queues of lib/names.ts, the session queue requiring sessions', () => {
    const namespace = fromEmulatorConfig(JSON.parse(readRepoFile(emulatorConfigFile)), emulatorConfigFile);

    expect(namespace.name).toBe('sbemulatorns');
    expect(sorted(namespace.queues.map((queue) => queue.name))).toEqual(sorted(Object.values(serviceBusQueues)));
    expect(namespace.queues.find((queue) => queue.name === serviceBusQueues.sessionReplies)?.requiresSession).toBe(
      true,
    );
    expect(namespace.queues.find((queue) => queue.name === serviceBusQueues.replies)?.requiresSession).toBe(false);
  });

  it('declare no subscription rules, which the templates do not translate', () => {
    const namespace = fromEmulatorConfig(JSON.parse(readRepoFile(emulatorConfigFile)), emulatorConfigFile);

    const withRules = namespace.topics.flatMap((topic) =>
      topic.subscriptions.filter((subscription) => subscription.ruleCount > 0).map((s) => `${topic.name}/${s.name}`),
    );

    expect(withRules).toEqual([]);
  });

  it('are created in Azure from that same config file', () => {
    const main = readRepoFile(mainFile);

    expect(loadJsonContentCalls(main)).toContainEqual({
      path: '../servicebus-config.json',
      jsonPath: '$.UserConfig.Namespaces[0]',
    });
    expect(moduleBody(main, 'serviceBus', mainFile)).toMatch(/emulatorNamespace:\s*serviceBusEmulatorNamespace/);
  });
});
