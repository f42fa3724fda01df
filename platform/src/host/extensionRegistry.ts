import type { Extension } from './extension';

/**
 * The binding extensions every host loads, in start order. Each factory returns a fresh instance so several
 * hosts can live in one process (tests).
 */
export function createDefaultExtensions(): Extension[] {
  return [];
}
