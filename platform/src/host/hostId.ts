import { hostname } from 'node:os';
import type { AppSettings } from '../config/appSettings';

/**
 * The host id used in `azure-webjobs-hosts` paths. Locally the real host uses the machine name (letters and
 * digits) plus a stable hash of the script root; `AzureFunctionsWebHost__hostid` overrides it. Truncated to 32
 * characters, lower-cased, trailing `-` trimmed (host `ScriptHostIdProvider`).
 */
export function resolveHostId(settings: AppSettings, appDir: string, machineName = hostname()): string {
  const explicit = settings.get('AzureFunctionsWebHost__hostid');
  const raw = explicit ?? `${machineName.replace(/[^a-zA-Z0-9]/g, '')}-${Math.abs(stableHash(appDir))}`;
  return raw.slice(0, 32).toLowerCase().replace(/-+$/, '');
}

/** A 32-bit string hash that is the same in every process (unlike .NET's randomized GetHashCode). */
function stableHash(text: string): number {
  let hash = 5381;
  for (let i = 0; i < text.length; i++) {
    hash = ((hash << 5) + hash + text.charCodeAt(i)) | 0;
  }
  return hash;
}
