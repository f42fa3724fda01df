import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { FunctionsHost } from '../../../src/host/host';
import type { LogRecord } from '../../../src/host/logger';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { prepareApp, startTestAzurite, startTestHost } from '../../helpers/testHost';

const maxRequestBodySize = 4096;

describe('HTTP trigger', () => {
  let azurite: EmbeddedAzurite;
  let app: { appDir: string; remove(): void };
  let host: FunctionsHost;
  let logs: LogRecord[];
  let api: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = prepareApp('http-app', { hostJson: { extensions: { http: { maxRequestBodySize } } } });
    writeFileSync(
      path.join(app.appDir, 'local.settings.json'),
      JSON.stringify({ IsEncrypted: false, Values: {}, Host: { CORS: 'http://allowed.example,http://other.example' } }),
    );
    ({ host, logs } = await startTestHost({
      appDir: app.appDir,
      env: { AzureWebJobsStorage: azurite.connectionString },
    }));
    api = `${host.baseUrl}/api`;
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.close();
    app?.remove();
  });

  const getJson = async (url: string, init?: RequestInit) => {
    const response = await fetch(url, init);
    expect(response.status).toBe(200);
    return (await response.json()) as { function: string; params: Record<string, string>; query: object };
  };

  describe('routing', () => {
    it('passes route parameters and leaves an optional one out when the path ends early', async () => {
      expect((await getJson(`${api}/hello/Ada?x=1`)).params).toEqual({ name: 'Ada' });
      expect(await getJson(`${api}/hello`)).toEqual({ function: 'hello', params: {}, query: {} });
      expect((await getJson(`${api}/products/books/42`)).params).toEqual({ category: 'books', id: '42' });
      expect((await getJson(`${api}/products/books`)).params).toEqual({ category: 'books' });
    });

    it('does not match a route when a value breaks one of its constraints', async () => {
      expect((await fetch(`${api}/products/books/forty-two`)).status).toBe(404);
      expect((await fetch(`${api}/products/b00ks/42`)).status).toBe(404);
      expect((await getJson(`${api}/codes/ab123/7`)).params).toEqual({ code: 'ab123', n: '7' });
      expect((await fetch(`${api}/codes/ab1234/7`)).status).toBe(404);
      expect((await fetch(`${api}/codes/ab123/11`)).status).toBe(404);
      expect((await fetch(`${api}/pages/ab`)).status).toBe(404);
    });

    it('fills a left-out parameter with its default value', async () => {
      expect((await getJson(`${api}/pages/intro`)).params).toEqual({ slug: 'intro', page: '1' });
      expect((await getJson(`${api}/pages/intro/3`)).params).toEqual({ slug: 'intro', page: '3' });
    });

    it('gives a catch-all parameter the rest of the path, slashes and escapes decoded', async () => {
      expect((await getJson(`${api}/files/a/b%20c/d.txt`)).params).toEqual({ path: 'a/b c/d.txt' });
      expect((await getJson(`${api}/files`)).params).toEqual({});
    });

    it('routes a function without a route by its name, ignoring case', async () => {
      expect((await getJson(`${api}/DEFAULTrouted`)).function).toBe('defaultRouted');
    });

    it('answers 404 for a path no route matches, including one that only starts like the prefix', async () => {
      const response = await fetch(`${api}/no/such/route`);

      expect(response.status).toBe(404);
      expect(await response.text()).toBe('');
      expect((await fetch(`${api}x/hello`)).status).toBe(404);
    });

    it('answers 405 with an Allow header when only the method is wrong', async () => {
      const response = await fetch(`${api}/only-get`, { method: 'POST', body: 'x' });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
    });

    it('keeps the first function by name when two routes conflict and reports the other as in error', async () => {
      expect((await getJson(`${api}/hello/x`)).function).toBe('hello');

      const inError = logs.filter((r) => r.message === 'Function is in error').map((r) => r.fields.function);
      expect(inError.sort()).toEqual(['helloAgain', 'reserved']);
      expect((await fetch(`${api}/runtime/mine`)).status).toBe(404);
    });

    it("logs each HTTP function's methods and URL at start-up", () => {
      const loaded = logs.find((r) => r.message === 'Function loaded' && r.fields.function === 'products');

      expect(loaded?.fields.detail).toBe(`[GET] ${host.baseUrl}/api/products/{category:alpha}/{id:int?}`);
    });
  });

  describe('function keys', () => {
    const keysFile = () => path.join(app.appDir, '.local', 'function-keys.json');
    const readKeys = () =>
      JSON.parse(readFileSync(keysFile(), 'utf8')) as { masterKey: string; hostKeys: Record<string, string> };

    it('creates the keys file under .local and logs its path, never a key', () => {
      const keys = readKeys();
      const created = logs.find((r) => r.message === 'Function keys created');

      expect(keys.masterKey.length).toBeGreaterThanOrEqual(40);
      expect(keys.hostKeys.default?.length).toBeGreaterThanOrEqual(40);
      expect(created?.fields.file).toBe(keysFile());
      const text = JSON.stringify(logs);
      expect(text).not.toContain(keys.masterKey);
      expect(text).not.toContain(keys.hostKeys.default);
    });

    it('refuses a function-level function without a valid key and accepts one in the header or the code query', async () => {
      const key = readKeys().hostKeys.default ?? '';

      expect((await fetch(`${api}/secret`)).status).toBe(401);
      expect((await fetch(`${api}/secret`, { headers: { 'x-functions-key': 'wrong' } })).status).toBe(401);
      expect((await fetch(`${api}/secret`, { headers: { 'x-functions-key': key } })).status).toBe(200);
      expect((await fetch(`${api}/secret?code=${encodeURIComponent(key)}`)).status).toBe(200);
    });

    it('opens an admin-level function only with the master key', async () => {
      const keys = readKeys();

      expect((await fetch(`${api}/ops/restart?code=${keys.hostKeys.default ?? ''}`)).status).toBe(401);
      const response = await fetch(`${api}/ops/restart`, { headers: { 'x-functions-key': keys.masterKey } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('admin-level operation');
    });
  });

  describe('requests and responses', () => {
    it('hands the body to the function as text, JSON, form fields or bytes', async () => {
      const text = await fetch(`${api}/echo/text`, { method: 'POST', body: 'plain words' });
      expect(await text.text()).toBe('got: plain words');

      const json = await fetch(`${api}/echo/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ a: [1, 2] }),
      });
      expect(await json.json()).toEqual({ received: { a: [1, 2] } });

      const form = await fetch(`${api}/echo/form`, { method: 'POST', body: new URLSearchParams({ x: '1', y: 'two' }) });
      expect(await form.json()).toEqual({ x: '1', y: 'two' });

      const bytes = await fetch(`${api}/echo/bytes`, { method: 'POST', body: new Uint8Array([0, 1, 2, 255]) });
      expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([255, 2, 1, 0]);
    });

    it('passes headers, query and cookies through and writes response cookies as Set-Cookie', async () => {
      const response = await fetch(`${api}/inspect?a=1&b=two`, {
        headers: { 'x-custom': 'yes', cookie: 'c1=v1; c2=v2' },
      });

      expect(response.status).toBe(201);
      expect(response.headers.get('x-echo')).toBe('yes');
      expect(response.headers.getSetCookie()).toEqual([
        'session=abc%20123; path=/; samesite=strict; httponly',
        'theme=dark; max-age=3600',
      ]);
      expect(await response.json()).toEqual({
        method: 'GET',
        url: `${api}/inspect?a=1&b=two`,
        custom: 'yes',
        cookie: 'c1=v1; c2=v2',
        query: { a: '1', b: 'two' },
      });
    });

    it('answers 500 when a function throws, and the next request still works', async () => {
      const failed = await fetch(`${api}/boom`);

      expect(failed.status).toBe(500);
      expect(await failed.text()).toBe('');
      expect((await getJson(`${api}/hello/again`)).params).toEqual({ name: 'again' });
    });

    it('answers 204 No Content when a function returns nothing', async () => {
      const response = await fetch(`${api}/nothing`);

      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    });

    it('feeds route values, query, headers and JSON body properties to other bindings of the function', async () => {
      const response = await fetch(`${api}/receipts/alpha?v=3`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order: { id: 7 } }),
      });

      expect(response.status).toBe(202);
      const blob = BlobServiceClient.fromConnectionString(azurite.connectionString)
        .getContainerClient('http-receipts')
        .getBlobClient('alpha-3-7.txt');
      expect((await blob.downloadToBuffer()).toString()).toBe('{"order":{"id":7}}');
    });

    it("answers 413 when the body exceeds the host's limit, declared or streamed", async () => {
      const declared = await fetch(`${api}/echo/text`, { method: 'POST', body: 'x'.repeat(maxRequestBodySize + 1) });
      expect(declared.status).toBe(413);

      expect(await postChunked(`${api}/echo/text`, ['y'.repeat(3000), 'y'.repeat(3000)])).toBe(413);
      expect(await postChunked(`${api}/echo/text`, ['y'.repeat(100), 'y'.repeat(100)])).toBe(200);
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with the allow headers', async () => {
      const response = await fetch(`${api}/hello`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://allowed.example',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'x-custom',
        },
      });

      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
      expect(response.headers.get('access-control-allow-methods')).toBe('PUT');
      expect(response.headers.get('access-control-allow-headers')).toBe('x-custom');
    });

    it('adds the allow-origin header to responses for allowed origins only', async () => {
      const allowed = await fetch(`${api}/hello`, { headers: { origin: 'http://other.example' } });
      const refused = await fetch(`${api}/hello`, { headers: { origin: 'http://evil.example' } });

      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://other.example');
      expect(refused.status).toBe(200);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('admin API', () => {
    it('answers /admin/host/status and /admin/functions next to the functions', async () => {
      const status = (await (await fetch(`${host.baseUrl}/admin/host/status`)).json()) as { state: string };
      const functions = (await (await fetch(`${host.baseUrl}/admin/functions`)).json()) as { name: string }[];

      expect(status.state).toBe('Running');
      expect(functions.map((f) => f.name)).toContain('hello');
    });
  });
});

/** POSTs a body in chunks without a Content-Length and returns the status. */
function postChunked(url: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    for (const chunk of chunks) {
      request.write(chunk);
    }
    request.end();
  });
}
