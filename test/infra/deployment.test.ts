import { dirname, join, normalize } from 'node:path';
import { poisonQueues } from '../../lib/names';
import { loadJsonContentCalls, modulePaths, outputNames, parameterNames, stripBicepComments } from './bicepText';
import { readRepoFile, repoFileExists } from './repoFiles';

const mainFile = 'infra/main.bicep';

/** Every Bicep file reachable from main.bicep through module declarations, plus the hook-deployed template. */
function bicepFiles(): string[] {
  const seen = new Set<string>();
  const pending = [mainFile, 'infra/app/blob-event-subscriptions.bicep'];

  while (pending.length > 0) {
    const file = pending.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    for (const path of modulePaths(readRepoFile(file))) {
      pending.push(
        normalize(join(dirname(file), path))
          .split('\\')
          .join('/'),
      );
    }
  }

  return [...seen].sort();
}

describe('the azd project', () => {
  it('has every module and loaded JSON file that the templates refer to', () => {
    const missing = bicepFiles().flatMap((file) => {
      const text = readRepoFile(file);
      const referenced = [...modulePaths(text), ...loadJsonContentCalls(text).map((call) => call.path)];
      return referenced.map((path) =>
        normalize(join(dirname(file), path))
          .split('\\')
          .join('/'),
      );
    });

    expect(missing.filter((path) => !repoFileExists(path))).toEqual([]);
  });

  it('deploys each azure.yaml service to an app named by a main.bicep output', () => {
    const outputs = new Set(outputNames(readRepoFile(mainFile)));
    const resourceNames = [...readRepoFile('azure.yaml').matchAll(/^\s*resourceName:\s*\$\{(\w+)\}/gm)].map(
      (match) => match[1] ?? '',
    );

    expect(resourceNames).toEqual(['AZURE_FUNCTION_APP_NAME', 'AZURE_API_FUNCTION_APP_NAME']);
    expect(resourceNames.filter((name) => !outputs.has(name))).toEqual([]);
  });

  it('runs hooks that exist and feeds them only main.bicep outputs', () => {
    const outputs = new Set([...outputNames(readRepoFile(mainFile)), 'AZURE_SUBSCRIPTION_ID']);
    const hooks = [...readRepoFile('azure.yaml').matchAll(/^\s*run:\s*\.\/(\S+)/gm)].map((match) => match[1] ?? '');
    const shellHook = readRepoFile('infra/hooks/postdeploy.sh');
    const variables = new Set([...shellHook.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)].map((match) => match[1] ?? ''));

    expect(hooks.filter((hook) => !repoFileExists(hook))).toEqual([]);
    expect([...variables].filter((name) => !outputs.has(name))).toEqual([]);
  });

  it('passes main.parameters.json only parameters that main.bicep declares', () => {
    const declared = new Set(parameterNames(readRepoFile(mainFile)));
    const file = JSON.parse(readRepoFile('infra/main.parameters.json')) as { parameters: Record<string, unknown> };

    expect(Object.keys(file.parameters).filter((name) => !declared.has(name))).toEqual([]);
  });

  it('runs Node 20 on Flex Consumption with identity-authenticated deployment storage', () => {
    const app = stripBicepComments(readRepoFile('infra/core/host/flex-function-app.bicep'));

    expect(app).toMatch(/name:\s*'FC1'\s+tier:\s*'FlexConsumption'/);
    expect(app).toMatch(/runtime:\s*\{\s*name:\s*'node'\s+version:\s*'20'/);
    expect(app).toMatch(/authentication:\s*\{\s*type:\s*'UserAssignedIdentity'/);
    expect(app).toMatch(/'Microsoft\.Web\/sites@(\d{4})-\d{2}-\d{2}'/);
  });
});

describe('keyless access', () => {
  it('turns off shared keys, SAS-based Service Bus auth and instrumentation-key ingestion', () => {
    expect(readRepoFile('infra/core/storage/storage-account.bicep')).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(readRepoFile('infra/core/messaging/servicebus.bicep')).toMatch(/disableLocalAuth:\s*true/);
    expect(readRepoFile('infra/core/monitor/monitoring.bicep')).toMatch(/DisableLocalAuth:\s*true/);
  });

  it('reads no account keys or connection strings into app settings', () => {
    const settings = stripBicepComments(readRepoFile('infra/app/app-settings.bicep'));
    const main = stripBicepComments(readRepoFile(mainFile));

    // The Application Insights connection string is the one exception: it only names the component, and with local
    // auth off it cannot send telemetry without the app's Entra token.
    for (const text of [settings, main]) {
      expect(text).not.toMatch(/listKeys|listConnectionStrings|AccountKey=|SharedAccessKey/);
    }
    expect(settings).toMatch(
      /APPLICATIONINSIGHTS_AUTHENTICATION_STRING:\s*'ClientId=\$\{identityClientId\};Authorization=AAD'/,
    );
  });
});

describe('alerts', () => {
  it('watch every poison queue of lib/names.ts and the blob-trigger poison queue', () => {
    const main = stripBicepComments(readRepoFile(mainFile));
    const manifest = JSON.parse(readRepoFile('infra/app/app.json')) as { storage: { poisonQueues: string[] } };

    expect([...manifest.storage.poisonQueues].sort()).toEqual(Object.values(poisonQueues).sort());
    expect(main).toMatch(
      /alertedPoisonQueues = concat\(manifest\.storage\.poisonQueues, \['webjobs-blobtrigger-poison'\]\)/,
    );
    expect(main).toMatch(/poisonQueueNames:\s*alertedPoisonQueues/);
  });

  it('count the host line for poison moves and the Durable tracking events of failed orchestrations', () => {
    const alerts = stripBicepComments(readRepoFile('infra/app/alerts.bicep'));

    expect(alerts).toContain('Message has reached MaxDequeueCount');
    expect(alerts).toContain('Host.Triggers.DurableTask');
    expect(alerts).toMatch(/prop__state\) == "Failed"/);
    expect(alerts).toMatch(/prop__functionType\) == "Orchestrator"/);
  });
});
