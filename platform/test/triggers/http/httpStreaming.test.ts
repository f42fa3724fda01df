import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { prepareApp } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';

// Streaming is a process-wide switch inside @azure/functions, so the streaming app runs in its own host process.
const hostScript = path.join(__dirname, 'hostProcess.js');
const builtHost = path.join(__dirname, '../../../dist/host/host.js');
const maxRequestBodySize = 65_536;

describe('HTTP trigger with app.setup({ enableHttpStream: true })', () => {
  let app: { appDir: string; remove(): void };
  let child: ChildProcess;
  let stderr = '';
  let api: string;

  beforeAll(async () => {
    if (!existsSync(builtHost)) {
      throw new Error(`Expected the built platform at ${builtHost}; run 'npx tsc -b platform/tsconfig.json' first.`);
    }
    app = prepareApp('http-stream-app', { hostJson: { extensions: { http: { maxRequestBodySize } } } });
    child = spawn(process.execPath, [hostScript, app.appDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await waitFor('the streaming host to print its URL', () => {
      if (child.exitCode !== null) {
        throw new Error(`host process exited with ${child.exitCode}: ${stderr}`);
      }
      return stdout.includes('\n') && (JSON.parse(stdout.split('\n')[0] ?? '') as { baseUrl: string });
    });
    api = `${ready.baseUrl}/api`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    app?.remove();
  });

  it('streams the request body to the function with the headers and route values', async () => {
    const body = 'z'.repeat(50_000);

    const response = await fetch(`${api}/count/big`, { method: 'POST', headers: { 'x-custom': 'streamed' }, body });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ label: 'big', bytes: 50_000, custom: 'streamed' });
  });

  it("relays the function's streamed response", async () => {
    const response = await fetch(`${api}/ticks/3`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('tick 1\ntick 2\ntick 3\n');
  });

  it('answers 500 when a streaming function throws, and keeps serving', async () => {
    const failed = await fetch(`${api}/stream-boom`);

    expect(failed.status).toBe(500);
    expect((await fetch(`${api}/ticks/1`)).status).toBe(200);
  });

  it('answers 204 No Content when a streaming function returns nothing', async () => {
    const response = await fetch(`${api}/stream-nothing`);

    expect(response.status).toBe(204);
    expect((await fetch(`${api}/ticks/1`)).status).toBe(200);
  });

  it("answers 413 when a streamed body passes the host's limit", async () => {
    const status = await postChunked(`${api}/count/huge`, 'q'.repeat(16_384), 8);

    expect(status).toBe(413);
    expect((await fetch(`${api}/ticks/1`)).status).toBe(200);
  });

  it('answers 404 and 405 before anything reaches the worker', async () => {
    expect((await fetch(`${api}/nowhere`)).status).toBe(404);
    expect((await fetch(`${api}/ticks/1`, { method: 'DELETE' })).status).toBe(405);
  });
});

/** POSTs `count` copies of a chunk without a Content-Length; resolves with the status, or 0 if the host hung up. */
function postChunked(url: string, chunk: string, count: number): Promise<number> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    for (let i = 0; i < count; i++) {
      request.write(chunk);
    }
    request.end();
  });
}
