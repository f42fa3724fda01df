import type { Namespace } from '../entities/namespace';

/** What a `$management` operation works on: the namespace and the entity address of the link it came on. */
export interface OperationContext {
  namespace: Namespace;
  /** The entity path of the `$management` link, without the suffix (`orders`, `t/subscriptions/s`). */
  address: string;
  now: number;
}

/** A successful operation: status code and response body. */
export interface OperationResult {
  statusCode: number;
  body?: unknown;
}
