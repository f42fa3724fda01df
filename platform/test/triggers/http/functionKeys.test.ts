import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigurationError } from '../../../src/errors';
import {
  isAuthorized,
  loadOrCreateFunctionKeys,
  presentedKey,
  type FunctionKeys,
} from '../../../src/triggers/http/auth/functionKeys';

describe('function keys', () => {
  let appDir: string;

  beforeEach(() => {
    appDir = mkdtempSync(path.join(os.tmpdir(), 'function-keys-'));
  });

  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  it('creates a private keys file with a master key and a default host key, then reads it back', () => {
    const created = loadOrCreateFunctionKeys(appDir);
    const again = loadOrCreateFunctionKeys(appDir);

    expect(created.created).toBe(true);
    expect(created.file).toBe(path.join(appDir, '.local', 'function-keys.json'));
    expect(created.keys.masterKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.keys.hostKeys.default).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(created.file).mode & 0o077).toBe(0);
    expect(again).toEqual({ ...created, created: false });
  });

  it('gives hosts starting on one app at the same moment one complete keys file', async () => {
    // Threads stand in for host processes; each round they meet at a barrier, then all load or create the keys of a
    // fresh app folder. Needs the built platform (npm test builds first).
    const hosts = 4;
    const appDirs = Array.from({ length: 40 }, (_, i) => path.join(appDir, `app-${i}`));
    const barrier = new Int32Array(new SharedArrayBuffer(4));
    const module = path.join(__dirname, '../../../dist/triggers/http/auth/functionKeys.js');
    const script = `
      const { workerData, parentPort } = require('node:worker_threads');
      const { loadOrCreateFunctionKeys } = require(workerData.module);
      const results = workerData.appDirs.map((dir, round) => {
        Atomics.add(workerData.barrier, 0, 1);
        while (Atomics.load(workerData.barrier, 0) < workerData.hosts * (round + 1)) {}
        try {
          return loadOrCreateFunctionKeys(dir).keys.masterKey;
        } catch (error) {
          return 'failed: ' + error.message;
        }
      });
      parentPort.postMessage(results);`;
    const runs = await Promise.all(
      Array.from({ length: hosts }, async () => {
        const worker = new Worker(script, { eval: true, workerData: { module, appDirs, barrier, hosts } });
        try {
          return await new Promise<string[]>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          });
        } finally {
          await worker.terminate();
        }
      }),
    );

    appDirs.forEach((dir, round) => {
      const written = loadOrCreateFunctionKeys(dir).keys.masterKey;
      expect({ round, seen: runs.map((results) => results[round]) }).toEqual({
        round,
        seen: Array(hosts).fill(written),
      });
    });
  });

  it('refuses a keys file that is not valid, naming the file and the field', () => {
    mkdirSync(path.join(appDir, '.local'));
    const file = path.join(appDir, '.local', 'function-keys.json');
    writeFileSync(file, JSON.stringify({ masterKey: 'short' }));

    expect(() => loadOrCreateFunctionKeys(appDir)).toThrow(ConfigurationError);
    expect(() => loadOrCreateFunctionKeys(appDir)).toThrow(/function-keys\.json[\s\S]*masterKey/);
    expect(readFileSync(file, 'utf8')).toContain('short');
  });

  describe('isAuthorized', () => {
    const keys: FunctionKeys = {
      masterKey: 'master-master-master',
      hostKeys: { default: 'host-host-host-host' },
      functionKeys: { orders: { mobile: 'orders-orders-orders' } },
    };

    it('lets anyone call an anonymous function', () => {
      expect(isAuthorized(keys, 'anonymous', 'orders', undefined)).toBe(true);
    });

    it('opens a function-level function with the master key, a host key or its own key only', () => {
      expect(isAuthorized(keys, 'function', 'orders', 'master-master-master')).toBe(true);
      expect(isAuthorized(keys, 'function', 'orders', 'host-host-host-host')).toBe(true);
      expect(isAuthorized(keys, 'function', 'orders', 'orders-orders-orders')).toBe(true);
      expect(isAuthorized(keys, 'function', 'billing', 'orders-orders-orders')).toBe(false);
      expect(isAuthorized(keys, 'function', 'orders', undefined)).toBe(false);
      expect(isAuthorized(keys, 'function', 'orders', '')).toBe(false);
    });

    it('opens an admin-level function with the master key only', () => {
      expect(isAuthorized(keys, 'admin', 'orders', 'master-master-master')).toBe(true);
      expect(isAuthorized(keys, 'admin', 'orders', 'host-host-host-host')).toBe(false);
    });
  });

  it('takes the key from the x-functions-key header before the code query parameter', () => {
    expect(presentedKey('from-header', new URLSearchParams('code=from-query'))).toBe('from-header');
    expect(presentedKey(undefined, new URLSearchParams('code=from-query'))).toBe('from-query');
    expect(presentedKey(undefined, new URLSearchParams())).toBeUndefined();
  });
});
