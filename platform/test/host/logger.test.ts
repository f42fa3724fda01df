import { createLogger, type LogRecord } from '../../src/host/logger';
import { redactSecrets } from '../../src/host/redact';

describe('logger', () => {
  it('filters by the most specific category prefix from host.json', () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ levels: { default: 'warn', Function: 'debug' }, sink: (r) => records.push(r) });

    logger.forCategory('Host.Startup').info('hidden');
    logger.forCategory('Function.orders.User').debug('shown', { invocationId: 'i-1' });

    expect(records.map((r) => [r.category, r.message, r.fields.invocationId])).toEqual([
      ['Function.orders.User', 'shown', 'i-1'],
    ]);
  });

  it('never writes a connection string key, even inside fields', () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ sink: (r) => records.push(r) });

    logger.info('Connecting with AccountName=dev;AccountKey=c2VjcmV0;', { url: 'http://h/q?sv=1&sig=abc%3D&se=2' });

    expect(JSON.stringify(records)).not.toMatch(/c2VjcmV0|abc%3D/);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['Endpoint=sb://x/;SharedAccessKeyName=Root;SharedAccessKey=k3y=;', 'k3y='],
    ['https://app/api/f?code=abcdef123&x=1', 'abcdef123'],
    ['amqp://user:hunter2@host:5672', 'hunter2'],
  ])('hides the secret in %s', (text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret);
    expect(redactSecrets(text)).toContain('[Hidden Credential]');
  });
});
