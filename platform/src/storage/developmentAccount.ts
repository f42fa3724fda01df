/**
 * The storage emulator's well-known development account. Its key is public (documented for Azurite and the
 * old storage emulator), so it is not a secret; it is still never logged.
 */
export const developmentAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

/** The connection string for the development account on the given host and ports. */
export function developmentConnectionString(
  host: string,
  ports: { blob: number; queue: number; table: number },
): string {
  const base = `http://${host}`;
  return (
    [
      'DefaultEndpointsProtocol=http',
      `AccountName=${developmentAccount.name}`,
      `AccountKey=${developmentAccount.key}`,
      `BlobEndpoint=${base}:${ports.blob}/${developmentAccount.name}`,
      `QueueEndpoint=${base}:${ports.queue}/${developmentAccount.name}`,
      `TableEndpoint=${base}:${ports.table}/${developmentAccount.name}`,
    ].join(';') + ';'
  );
}
