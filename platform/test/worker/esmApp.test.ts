import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Jest runs modules in a VM without ES module support, so the ESM app is loaded in a plain Node process
// through the compiled worker (built by `npm test` before Jest runs).
const distWorker = path.join(__dirname, '../../dist/worker/languageWorker.js');

describe('an ES module app', () => {
  it('loads through import() and invokes like a CommonJS app', () => {
    const script = `
      const { LanguageWorker } = require(${JSON.stringify(distWorker)});
      (async () => {
        const worker = new LanguageWorker(process.argv[1], () => undefined);
        const functions = await worker.start();
        const response = await worker.invoke({
          invocationId: 'esm-1', functionId: 'esmEcho', triggerMetadata: {},
          inputData: [{ name: 'input', data: { json: '{"a":1}' } }],
        });
        process.stdout.write(JSON.stringify({ names: functions.map((f) => f.metadata.name), response }));
      })();`;

    const output = execFileSync(process.execPath, ['-e', script, path.join(__dirname, '../fixtures/esm-app')], {
      encoding: 'utf8',
    });
    const { names, response } = JSON.parse(output) as {
      names: string[];
      response: { result: { status: string }; returnValue: { json: string } };
    };

    expect(names).toEqual(['esmEcho']);
    expect(response.result.status).toBe('success');
    expect(JSON.parse(response.returnValue.json)).toEqual({ module: 'esm', input: { a: 1 } });
  });
});
