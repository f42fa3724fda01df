import path from 'node:path';
import { serviceBusQueues } from '../../../lib/names';
import { fromEmulatorConfig, loadConfigFile } from '../../src/servicebus/config/configFile';
import { parseIsoDuration } from '../../src/servicebus/config/duration';
import { emulatorConfig } from './testBroker';

describe('Config.json', () => {
  it("the app's servicebus-config.json declares exactly the queues lib/names.ts names", () => {
    const { namespace, warnings } = loadConfigFile(path.join(__dirname, '../../../servicebus-config.json'));
    expect(warnings).toEqual([]);
    expect(namespace.queues.map((queue) => queue.name).sort()).toEqual(Object.values(serviceBusQueues).sort());
    const byName = new Map(namespace.queues.map((queue) => [queue.name, queue.settings]));
    expect(byName.get(serviceBusQueues.replies)?.requiresSession).toBe(false);
    expect(byName.get(serviceBusQueues.sessionReplies)?.requiresSession).toBe(true);
    expect(byName.get(serviceBusQueues.sessionReplies)).toMatchObject({ lockDurationMs: 60_000, maxDeliveryCount: 10 });
  });

  it("applies the official emulator's defaults to properties left out", () => {
    const { namespace } = fromEmulatorConfig(emulatorConfig({ queues: [{ name: 'q' }] }), 'test');
    expect(namespace.queues[0]?.settings).toEqual({
      lockDurationMs: 60_000,
      maxDeliveryCount: 3,
      defaultMessageTimeToLiveMs: 3_600_000,
      deadLetteringOnMessageExpiration: false,
      requiresSession: false,
      forwardTo: undefined,
      forwardDeadLetteredMessagesTo: undefined,
      requiresDuplicateDetection: false,
      duplicateDetectionHistoryTimeWindowMs: 20_000,
    });
  });

  it('reads topics, subscriptions and their rules; a subscription without rules gets none (the $Default rule)', () => {
    const { namespace } = fromEmulatorConfig(
      emulatorConfig({
        topics: [
          {
            name: 't',
            properties: { DefaultMessageTimeToLive: 'PT5M' },
            subscriptions: [
              { name: 'all' },
              {
                name: 'red',
                rules: [
                  {
                    Name: 'r',
                    Properties: { FilterType: 'Correlation', CorrelationFilter: { Properties: { color: 'red' } } },
                  },
                ],
              },
            ],
          },
        ],
      }),
      'test',
    );
    const topic = namespace.topics[0];
    expect(topic?.settings.defaultMessageTimeToLiveMs).toBe(300_000);
    expect(topic?.subscriptions.map((s) => [s.name, s.rules.length])).toEqual([
      ['all', 0],
      ['red', 1],
    ]);
  });

  it('says what was expected, what arrived and where for a bad value', () => {
    expect(() =>
      fromEmulatorConfig(
        emulatorConfig({ queues: [{ name: 'q', properties: { LockDuration: '1 minute' } }] }),
        'cfg.json',
      ),
    ).toThrow(
      /Invalid Service Bus config in cfg\.json:[\s\S]*expected a positive ISO 8601 duration like PT1M, got '1 minute'[\s\S]*UserConfig\.Namespaces\[0\]\.Queues\[0\]\.Properties\.LockDuration/,
    );
  });

  it('refuses a namespace not named sbemulatorns, duplicate names, unknown forward targets and bad SQL', () => {
    const renamed = emulatorConfig({ queues: [{ name: 'q' }] }) as {
      UserConfig: { Namespaces: Array<{ Name: string }> };
    };
    renamed.UserConfig.Namespaces[0]!.Name = 'mine';
    expect(() => fromEmulatorConfig(renamed, 'cfg')).toThrow(/must be named 'sbemulatorns'.*got 'mine'/);
    expect(() => fromEmulatorConfig(emulatorConfig({ queues: [{ name: 'Q' }, { name: 'q' }] }), 'cfg')).toThrow(
      /Duplicate queue or topic name 'q'/,
    );
    expect(() =>
      fromEmulatorConfig(emulatorConfig({ queues: [{ name: 'q', properties: { ForwardTo: 'elsewhere' } }] }), 'cfg'),
    ).toThrow(/'q' in cfg forwards to 'elsewhere', which is no queue or topic/);
    const badSql = emulatorConfig({
      topics: [
        {
          name: 't',
          subscriptions: [
            {
              name: 's',
              rules: [{ Name: 'r', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: 'a = ' } } }],
            },
          ],
        },
      ],
    });
    expect(() => fromEmulatorConfig(badSql, 'cfg')).toThrow(
      /Rule 'r' in cfg at topic 't', subscription 's': Invalid SQL filter/,
    );
  });

  it('warns about properties it does not know instead of failing', () => {
    const action = { SqlExpression: "SET color = 'blue'" };
    const rule = { Name: 'r', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: '1=1' }, Action: action } };
    const { warnings } = fromEmulatorConfig(
      emulatorConfig({
        queues: [{ name: 'q', properties: { MaxSizeInMegabytes: 1024 } }],
        topics: [{ name: 't', subscriptions: [{ name: 's', rules: [rule] }] }],
      }),
      'cfg',
    );
    expect(warnings).toEqual([
      "Ignored unknown property 'MaxSizeInMegabytes' of queue 'q'",
      "Ignored the action of rule 'r' of subscription 't/s': rule actions are not supported",
    ]);
  });
});

describe('ISO 8601 durations', () => {
  it('parseIsoDuration reads the forms Config.json uses, and fractions of seconds', () => {
    expect(parseIsoDuration('PT1M')).toBe(60_000);
    expect(parseIsoDuration('PT20S')).toBe(20_000);
    expect(parseIsoDuration('PT1H30M')).toBe(5_400_000);
    expect(parseIsoDuration('P1D')).toBe(86_400_000);
    expect(parseIsoDuration('PT0.5S')).toBe(500);
    expect(parseIsoDuration('PT')).toBeUndefined();
    expect(parseIsoDuration('60')).toBeUndefined();
  });
});
