import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { prepareApp, startTestAzurite, startTestHost } from '../../helpers/testHost';

describe('HTTP trigger route prefix', () => {
  let azurite: EmbeddedAzurite;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });

  afterAll(async () => {
    await azurite?.close();
  });

  async function withHost(routePrefix: string, run: (baseUrl: string) => Promise<void>): Promise<void> {
    const app = prepareApp('http-app', { hostJson: { extensions: { http: { routePrefix } } } });
    const { host, logs } = await startTestHost({
      appDir: app.appDir,
      env: { AzureWebJobsStorage: azurite.connectionString },
    });
    try {
      await run(host.baseUrl);
      expect(logs.find((r) => r.fields.function === 'hello' && r.message === 'Function loaded')?.fields.detail).toBe(
        `[GET,POST] ${host.baseUrl}${routePrefix === '' ? '' : `/${routePrefix}`}/hello/{name?}`,
      );
    } finally {
      await host.stop();
      app.remove();
    }
  }

  it('serves functions at the root with an empty prefix, leaving the admin API in place', async () => {
    await withHost('', async (baseUrl) => {
      expect((await fetch(`${baseUrl}/hello/root`)).status).toBe(200);
      expect((await fetch(`${baseUrl}/api/hello/root`)).status).toBe(404);
      expect((await fetch(`${baseUrl}/admin/host/status`)).status).toBe(200);
    });
  });

  it('serves functions under a custom prefix, matched ignoring case', async () => {
    await withHost('v1/jobs', async (baseUrl) => {
      expect((await fetch(`${baseUrl}/V1/Jobs/hello/custom`)).status).toBe(200);
      expect((await fetch(`${baseUrl}/api/hello/custom`)).status).toBe(404);
    });
  });
});
