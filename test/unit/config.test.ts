import { defaults, readConfig, readMaxDequeueCount } from '../../lib/config';
import { SettingError } from '../../lib/errors';

describe('readConfig', () => {
  it('uses the documented defaults when no setting is present', () => {
    const config = readConfig({});

    expect(config.thumbnailSizes).toEqual([64, 256, 1024]);
    expect(config.retentionDays).toBe(defaults.retentionDays);
    expect(config.confirmationSender).toBe('outbox');
    expect(config.shipmentRefusedCountries).toEqual(['AQ']);
  });

  it('parses thumbnail sizes, dropping duplicates and sorting them', () => {
    const config = readConfig({ THUMBNAIL_SIZES: '512, 128,128' });

    expect(config.thumbnailSizes).toEqual([128, 512]);
  });

  it('names the setting, the expectation and the value of a bad number', () => {
    expect(() => readConfig({ RETENTION_DAYS: 'ten' })).toThrow(
      new SettingError('RETENTION_DAYS', 'a positive integer', 'ten'),
    );
  });

  it('refuses an unknown confirmation sender', () => {
    expect(() => readConfig({ CONFIRMATION_SENDER: 'pigeon' })).toThrow(/expected 'outbox' or 'serviceBus'/);
  });

  it('lets an empty refused-country list allow every country', () => {
    expect(readConfig({ SHIPMENT_REFUSED_COUNTRIES: '' }).shipmentRefusedCountries).toEqual([]);
  });
});

describe('readMaxDequeueCount', () => {
  it('prefers the host.json override app setting', () => {
    expect(readMaxDequeueCount({ AzureFunctionsJobHost__extensions__queues__maxDequeueCount: '3' }, '{}')).toBe(3);
  });

  it('reads host.json and falls back to the extension default of 5', () => {
    expect(readMaxDequeueCount({}, '{"extensions":{"queues":{"maxDequeueCount":7}}}')).toBe(7);
    expect(readMaxDequeueCount({}, undefined)).toBe(5);
  });
});
