import { PollingBackoff } from '../../../src/triggers/queue/pollingBackoff';

describe('queue polling back-off', () => {
  it('starts at the minimum and roughly doubles the growth after each empty poll, up to the maximum', () => {
    const backoff = new PollingBackoff({ minimumMs: 100, maximumMs: 2_000, random: () => 0.5 });

    const delays = Array.from({ length: 8 }, () => backoff.nextDelayMs(false));

    expect(delays).toEqual([100, 200, 300, 500, 900, 1700, 2000, 2000]);
  });

  it('randomizes each step between 0.8 and 1.2 of its nominal growth', () => {
    const low = new PollingBackoff({ minimumMs: 100, maximumMs: 60_000, random: () => 0 });
    const high = new PollingBackoff({ minimumMs: 100, maximumMs: 60_000, random: () => 1 });

    const lows = [low.nextDelayMs(false), low.nextDelayMs(false), low.nextDelayMs(false)];
    const highs = [high.nextDelayMs(false), high.nextDelayMs(false), high.nextDelayMs(false)];

    expect(lows).toEqual([100, 180, 260]);
    expect(highs).toEqual([100, 220, 340]);
  });

  it('goes back to the minimum after a poll that found messages', () => {
    const backoff = new PollingBackoff({ minimumMs: 100, maximumMs: 2_000, random: () => 0.5 });
    for (let i = 0; i < 10; i++) {
      backoff.nextDelayMs(false);
    }

    expect(backoff.nextDelayMs(true)).toBe(100);
    expect(backoff.nextDelayMs(false)).toBe(200);
  });
});
