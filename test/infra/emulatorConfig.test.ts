import { EmulatorConfigError, fromEmulatorConfig } from './emulatorConfig';

describe('Service Bus emulator config reader', () => {
  it('reads the queues with their session flag and the topics with their subscriptions', () => {
    const config = {
      UserConfig: {
        Namespaces: [
          {
            Name: 'sbemulatorns',
            Queues: [
              { Name: 'plain', Properties: { RequiresSession: false, MaxDeliveryCount: 3 } },
              { Name: 'sessions', Properties: { RequiresSession: true } },
              { Name: 'bare' },
            ],
            Topics: [{ Name: 'events', Subscriptions: [{ Name: 'all', Rules: [{ Name: 'r1' }] }, { Name: 'none' }] }],
          },
        ],
        Logging: { Type: 'File' },
      },
    };

    expect(fromEmulatorConfig(config, 'servicebus-config.json')).toEqual({
      name: 'sbemulatorns',
      queues: [
        { name: 'plain', requiresSession: false },
        { name: 'sessions', requiresSession: true },
        { name: 'bare', requiresSession: false },
      ],
      topics: [
        {
          name: 'events',
          subscriptions: [
            { name: 'all', ruleCount: 1 },
            { name: 'none', ruleCount: 0 },
          ],
        },
      ],
    });
  });

  it('rejects a config without UserConfig, naming the file', () => {
    expect(() => fromEmulatorConfig({ Namespaces: [] }, 'servicebus-config.json')).toThrow(EmulatorConfigError);
    expect(() => fromEmulatorConfig({ Namespaces: [] }, 'servicebus-config.json')).toThrow(
      'servicebus-config.json: expected a top-level "UserConfig" object',
    );
  });

  it('rejects a queue without a name, naming where it is', () => {
    const config = { UserConfig: { Namespaces: [{ Name: 'ns', Queues: [{ Properties: {} }] }] } };

    expect(() => fromEmulatorConfig(config, 'servicebus-config.json')).toThrow(
      'servicebus-config.json: UserConfig.Namespaces[0].Queues[0]: expected an object with a string "Name"',
    );
  });

  it('rejects more than one namespace, because the templates create one', () => {
    const config = { UserConfig: { Namespaces: [{ Name: 'a' }, { Name: 'b' }] } };

    expect(() => fromEmulatorConfig(config, 'servicebus-config.json')).toThrow(
      'expected exactly one namespace, found 2',
    );
  });
});
