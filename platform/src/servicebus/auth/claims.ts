/**
 * The entity paths one connection may use, granted by `$cbs` put-token requests. A token for a path covers its
 * sub-paths (`orders` covers `orders/$management`), and a namespace-wide token covers everything.
 */
export class ClaimSet {
  private readonly grants = new Map<string, number>();

  /** Records a verified token for `audience` valid until `expiresAtMs`. */
  grant(audience: string, expiresAtMs: number): void {
    this.grants.set(toClaimPath(audience), expiresAtMs);
  }

  /** True when an unexpired grant covers the entity path. */
  covers(entityPath: string, now: number): boolean {
    const path = entityPath.toLowerCase();
    for (const [granted, expiresAt] of this.grants) {
      if (expiresAt < now) {
        continue;
      }
      if (granted === '' || path === granted || path.startsWith(`${granted}/`)) {
        return true;
      }
    }
    return false;
  }
}

/** The path of an audience or resource URI: `sb://localhost:5672/Orders/` → `orders`. */
export function toClaimPath(audience: string): string {
  const withoutScheme = audience.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return withoutScheme.replace(/^\/+|\/+$/g, '').toLowerCase();
}
