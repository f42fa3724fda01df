import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
