import { request as httpRequest } from 'node:http';
import { startHostProcess, type HostProcess } from '../../helpers/startHostProcess';
import { prepareApp } from '../../helpers/testHost';

// Streaming is a process-wide switch inside @azure/functions, so the streaming app runs in its own host process.
const maxRequestBodySize = 65_536;

describe('HTTP trigger with app.setup({ enableHttpStream: true })', () => {
  let app: { appDir: string; remove(): void };
  let host: HostProcess | undefined;
  let api: string;

  beforeAll(async () => {
    app = prepareApp('http-stream-app', { hostJson: { extensions: { http: { maxRequestBodySize } } } });
    host = await startHostProcess(app.appDir, {}, { verbose: true });
    api = `${host.baseUrl}/api`;
  });

  afterAll(async () => {
    await host?.stop();
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
