/** What this host sees of one partition lease in a balancing round. */
export interface LeaseView {
  readonly partition: number;
  /** Owner of a live lease; undefined when the lease is free, expired or broken. */
  readonly owner: string | undefined;
}

/** What this host should do in a balancing round. */
export interface BalanceDecision {
  /** Free partitions to take. */
  readonly acquire: number[];
  /** A partition to take over from a host holding more than its share, if any. */
  readonly steal: number | undefined;
}

/**
 * Decides which leases to take so that every host ends with its fair share: free leases up to the ceiling of
 * partitions / hosts, and one lease a round from the busiest host while this host is below the floor (the
 * provider's `LeaseCollectionBalancer` balances the same way).
 */
export function decideLeaseBalance(views: readonly LeaseView[], self: string): BalanceDecision {
  const counts = new Map<string, number>();
  for (const view of views) {
    if (view.owner !== undefined) {
      counts.set(view.owner, (counts.get(view.owner) ?? 0) + 1);
    }
  }
  const hosts = new Set([...counts.keys(), self]).size;
  const ceiling = Math.ceil(views.length / hosts);
  const floor = Math.floor(views.length / hosts);
  let mine = counts.get(self) ?? 0;

  const acquire: number[] = [];
  for (const view of views) {
    if (view.owner === undefined && mine < ceiling) {
      acquire.push(view.partition);
      mine++;
    }
  }

  let steal: number | undefined;
  if (mine < floor) {
    const [busiest, busiestCount] = [...counts.entries()]
      .filter(([owner]) => owner !== self)
      .reduce<[string | undefined, number]>((best, entry) => (entry[1] > best[1] ? entry : best), [undefined, 0]);
    if (busiest !== undefined && busiestCount > floor) {
      steal = views.find((view) => view.owner === busiest)?.partition;
    }
  }
  return { acquire, steal };
}
