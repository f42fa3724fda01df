import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { parseServiceBusArgs } from '../../src/cli/servicebus';
import { waitFor } from '../helpers/waitFor';
import { emulatorConfig, fastClientOptions } from './testBroker';

const cli = path.join(__dirname, '../../dist/cli/servicebus.js');

describe('local-servicebus command', () => {
  it('parseServiceBusArgs reads --config, --port and --in-memory, and defaults to a journal under .local', () => {
    expect(parseServiceBusArgs(['--config', 'cfg.json', '--port', '0', '--in-memory'], '/app')).toEqual({
      config: path.resolve('/app/cfg.json'),
      host: '127.0.0.1',
      port: 0,
      dataDir: undefined,
      verbose: false,
    });
    expect(parseServiceBusArgs([], '/app')).toMatchObject({
      config: path.resolve('/app/servicebus-config.json'),
      port: 5672,
      dataDir: path.resolve('/app/.local/servicebus'),
    });
  });

  it('parseServiceBusArgs refuses a bad port, unknown options and --data with --in-memory', () => {
    expect(() => parseServiceBusArgs(['--port', 'x'], '/')).toThrow(
      /--port must be a port number from 0 to 65535, but is 'x'/,
    );
    expect(() => parseServiceBusArgs(['--bogus'], '/')).toThrow(
      /Unknown option '--bogus'[\s\S]*Usage: local-servicebus/,
    );
    expect(() => parseServiceBusArgs(['--data', 'd', '--in-memory'], '/')).toThrow(/contradict/);
  });

  it('prints one ready line, serves the SDK and stops cleanly on SIGTERM', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'servicebus-cli-'));
    const config = path.join(directory, 'Config.json');
    writeFileSync(config, JSON.stringify(emulatorConfig({ queues: [{ name: 'cli' }] })));
    const child = spawn(process.execPath, [cli, '--config', config, '--port', '0', '--in-memory'], { stdio: 'pipe' });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const port = await waitFor('the ready line', () => /Service Bus broker ready .*port=(\d+)/.exec(stdout)?.[1]);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      const client = new ServiceBusClient(
        `Endpoint=sb://localhost:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
        fastClientOptions,
      );
      await client.createSender('cli').sendMessages({ body: 'via cli' });
      const [message] = await client.createReceiver('cli', { receiveMode: 'receiveAndDelete' }).receiveMessages(1);
      expect(message?.body).toBe('via cli');
      await client.close();

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
