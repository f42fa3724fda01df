import {
  fromHistoryEntity,
  fromSentinelEntity,
  toHistoryEntity,
  toHistoryRowKey,
  toSentinelEntity,
} from '../../../src/durable/backend/azureStorage/historyEntity';
import { fromInstanceEntity, toInstanceEntity } from '../../../src/durable/backend/azureStorage/instanceEntity';
import { MalformedTaskHubDataError } from '../../../src/durable/backend/azureStorage/errors';
import { EventType, type HistoryEvent, type InstanceState } from '../../../src/durable/backend/types';

describe('history rows', () => {
  const where = { partitionKey: 'order^01', sequenceNumber: 26, executionId: 'exec-1' };

  it('writes the sequence number as a 16-digit upper-case hex row key', () => {
    expect(toHistoryRowKey(0)).toBe('0000000000000000');
    expect(toHistoryRowKey(26)).toBe('000000000000001A');
  });

  it('stores EventType by name, renames Timestamp and keeps the execution id', () => {
    const event: HistoryEvent = {
      EventType: EventType.TaskCompleted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: '2026-01-02T03:04:05.678Z',
      TaskScheduledId: 3,
      Result: '"done"',
    };
    const row = toHistoryEntity(event, where);
    expect(row).toEqual({
      partitionKey: 'order^01',
      rowKey: '000000000000001A',
      ExecutionId: 'exec-1',
      EventType: 'TaskCompleted',
      EventId: -1,
      IsPlayed: false,
      _Timestamp: new Date('2026-01-02T03:04:05.678Z'),
      TaskScheduledId: 3,
      Result: '"done"',
    });
    expect(fromHistoryEntity(row)).toEqual(event);
  });

  it('keeps nested objects as JSON text and dates as dates', () => {
    const event: HistoryEvent = {
      EventType: EventType.ExecutionStarted,
      EventId: -1,
      IsPlayed: true,
      Timestamp: '2026-01-02T03:04:05.000Z',
      Name: 'saga',
      Input: '{"a":1}',
      OrchestrationInstance: { InstanceId: 'i', ExecutionId: 'e' },
      ScheduledStartTime: '2026-01-03T00:00:00.000Z',
    };
    const row = toHistoryEntity(event, where);
    expect(row.OrchestrationInstance).toBe('{"InstanceId":"i","ExecutionId":"e"}');
    expect(row.ScheduledStartTime).toEqual(new Date('2026-01-03T00:00:00.000Z'));
    expect(fromHistoryEntity({ ...row, etag: 'W/"x"', timestamp: '2026' })).toEqual(event);
  });

  it('refuses a row without an event type, naming the row', () => {
    expect(() => fromHistoryEntity({ partitionKey: 'p', rowKey: '0000000000000001', EventId: 1 })).toThrow(
      MalformedTaskHubDataError,
    );
    expect(() => fromHistoryEntity({ partitionKey: 'p', rowKey: '0000000000000001', EventId: 1 })).toThrow(
      'EventType=undefined',
    );
  });

  it('marks only the final batch sentinel complete, with the committed event count', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(toSentinelEntity('p', { executionId: 'e', eventCount: 5, complete: false, completedAt: at })).toEqual({
      partitionKey: 'p',
      rowKey: 'sentinel',
      IsCheckpointComplete: false,
    });
    const final = toSentinelEntity('p', { executionId: 'e', eventCount: 5, complete: true, completedAt: at });
    expect(final).toMatchObject({ ExecutionId: 'e', IsCheckpointComplete: true, CheckpointEventCount: 5 });
    expect(fromSentinelEntity(final)).toEqual({ executionId: 'e', eventCount: 5 });
    expect(fromSentinelEntity({ partitionKey: 'p', rowKey: 'sentinel', ExecutionId: 'e' }).eventCount).toBeUndefined();
  });

  it('names the saved history on the sentinel of an unfinished checkpoint only', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const checkpoint = {
      executionId: 'e2',
      eventCount: 150,
      completedAt: at,
      savedHistory: 'p/history-saved-1.json.gz',
    };
    const unfinished = toSentinelEntity('p', { ...checkpoint, complete: false });
    expect(unfinished).toEqual({
      partitionKey: 'p',
      rowKey: 'sentinel',
      IsCheckpointComplete: false,
      SavedHistoryBlobName: 'p/history-saved-1.json.gz',
    });
    // Merged into the committed sentinel, it keeps the committed execution and names its saved events.
    expect(fromSentinelEntity({ ...unfinished, ExecutionId: 'e1', CheckpointEventCount: 200 })).toEqual({
      executionId: 'e1',
      eventCount: 200,
      savedHistory: 'p/history-saved-1.json.gz',
    });
    const final = toSentinelEntity('p', { ...checkpoint, complete: true });
    expect(final).not.toHaveProperty('SavedHistoryBlobName');
    expect(fromSentinelEntity(final)).toEqual({ executionId: 'e2', eventCount: 150 });
  });
});

describe('instance rows', () => {
  const state: InstanceState = {
    instanceId: 'a/b',
    name: 'saga',
    executionId: 'e1',
    runtimeStatus: 'Running',
    input: '{"x":1}',
    createdTime: '2026-01-01T00:00:00.000Z',
    lastUpdatedTime: '2026-01-01T00:00:01.000Z',
    generation: 0,
  };

  it('writes the provider columns with CustomStatus "null" when unset', () => {
    const row = toInstanceEntity(state, 'MyHub');
    expect(row).toEqual({
      partitionKey: 'a^0b',
      rowKey: '',
      Name: 'saga',
      Version: '',
      Input: '{"x":1}',
      CustomStatus: 'null',
      CreatedTime: new Date('2026-01-01T00:00:00.000Z'),
      LastUpdatedTime: new Date('2026-01-01T00:00:01.000Z'),
      RuntimeStatus: 'Running',
      Generation: 0,
      ExecutionId: 'e1',
      TaskHubName: 'MyHub',
    });
    expect(fromInstanceEntity(row)).toEqual(state);
  });

  it('refuses an unknown runtime status with the accepted values', () => {
    const row = { ...toInstanceEntity(state, 'MyHub'), RuntimeStatus: 'Sleeping' };
    expect(() => fromInstanceEntity(row)).toThrow('RuntimeStatus "Sleeping"; expected one of Running, Completed');
  });
});
