import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { prepareApp, startTestAzurite } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';

const cli = path.join(__dirname, '../../dist/cli/main.js');

describe('local-functions start', () => {
  it('exits non-zero with the file and the problem when host.json is malformed', () => {
    const app = prepareApp('basic-app');
    writeFileSync(path.join(app.appDir, 'host.json'), '{ "version": "2.0", }');

    const result = spawnSync(process.execPath, [cli, 'start', '--app-dir', app.appDir, '--port', '0', '--no-azurite'], {
      encoding: 'utf8',
      env: { ...process.env, AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Configuration error: .*host\.json is not valid JSON/);
    app.remove();
  });

  it('rejects an unknown option with the usage text', () => {
    const result = spawnSync(process.execPath, [cli, 'start', '--bogus'], { encoding: 'utf8' });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Configuration error: Unknown option '--bogus'[\s\S]*Usage: local-functions start/);
  });
});

describe('local-functions start with a working app', () => {
  let azurite: EmbeddedAzurite;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });
  afterAll(async () => {
    await azurite.close();
  });

  it("runs the app's beforeStart command before ready, and exits 0 on SIGTERM", async () => {
    const app = prepareApp('basic-app');
    const pkg = JSON.parse(readFileSync(path.join(app.appDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    pkg.localFunctions = { beforeStart: `node -e "require('fs').writeFileSync('before.txt', 'provisioned')"` };
    writeFileSync(path.join(app.appDir, 'package.json'), JSON.stringify(pkg));
    const child = spawn(process.execPath, [cli, 'start', '--app-dir', app.appDir, '--port', '0', '--no-servicebus'], {
      env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    await waitFor('the ready line', () => output.includes('Host ready'));
    const provisioned = readFileSync(path.join(app.appDir, 'before.txt'), 'utf8');
    child.kill('SIGTERM');

    expect(provisioned).toBe('provisioned');
    expect(await exited).toBe(0);
    expect(output).toMatch(/Host stopped/);
    app.remove();
  });

  it('exits 1 naming the failed beforeStart command, with the app already loading in its thread', () => {
    const app = prepareApp('basic-app');
    const pkg = JSON.parse(readFileSync(path.join(app.appDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    pkg.localFunctions = { beforeStart: 'node -e "process.exit(3)"' };
    writeFileSync(path.join(app.appDir, 'package.json'), JSON.stringify(pkg));

    const result = spawnSync(
      process.execPath,
      [cli, 'start', '--app-dir', app.appDir, '--port', '0', '--no-servicebus'],
      {
        encoding: 'utf8',
        env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
        timeout: 60_000,
      },
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/beforeStart command failed with exit code 3/);
    app.remove();
  });
});
