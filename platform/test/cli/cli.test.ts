import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareApp } from '../helpers/testHost';

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
