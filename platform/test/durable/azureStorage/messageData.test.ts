import {
  fromMessageData,
  fromQueueMessageText,
  toLargeMessageBlobName,
  toMessageData,
  toQueueMessageText,
} from '../../../src/durable/backend/azureStorage/messageData';
import { MalformedTaskHubDataError } from '../../../src/durable/backend/azureStorage/errors';
import { EventType, type TaskMessage } from '../../../src/durable/backend/types';

describe('queue messages', () => {
  const message: TaskMessage = {
    instanceId: 'order-1',
    executionId: 'e1',
    event: {
      EventType: EventType.TimerFired,
      EventId: -1,
      IsPlayed: false,
      Timestamp: '2026-01-01T00:00:00.000Z',
      TimerId: 2,
      FireAt: '2026-01-10T00:00:00.000Z',
    },
    deliverAt: Date.parse('2026-01-10T00:00:00.000Z'),
  };

  it('writes MessageData JSON with the provider keys and $type annotations', () => {
    const data = toMessageData(message, { activityId: 'act-1', sequenceNumber: 7, sender: 'parent' });
    const json = JSON.parse(toQueueMessageText(data)) as Record<string, unknown>;
    expect(json).toMatchObject({
      $type: 'DurableTask.AzureStorage.MessageData, DurableTask.AzureStorage',
      ActivityId: 'act-1',
      CompressedBlobName: null,
      SequenceNumber: 7,
      Sender: { InstanceId: 'parent' },
      TaskMessage: {
        $type: 'DurableTask.Core.TaskMessage, DurableTask.Core',
        Event: { $type: 'DurableTask.Core.History.TimerFiredEvent, DurableTask.Core', EventType: 11, TimerId: 2 },
        OrchestrationInstance: { InstanceId: 'order-1', ExecutionId: 'e1' },
      },
      DeliverAt: '2026-01-10T00:00:00.000Z',
    });
  });

  it('reads back the same task message', () => {
    const text = toQueueMessageText(toMessageData(message, { activityId: 'a', sequenceNumber: 1 }));
    expect(fromMessageData(fromQueueMessageText(text, 'q'), 'q')).toEqual(message);
  });

  it('converts the completion status to the numeric enum on the wire and back', () => {
    const completed: TaskMessage = {
      instanceId: 'child',
      event: {
        EventType: EventType.ExecutionCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: 't',
        OrchestrationStatus: 'Failed',
      },
    };
    const data = toMessageData(completed, { activityId: 'a', sequenceNumber: 1 });
    expect(data.TaskMessage?.Event.OrchestrationStatus).toBe(3);
    expect(fromMessageData(fromQueueMessageText(toQueueMessageText(data), 'q'), 'q')).toEqual(completed);
  });

  it('reads a wrapper message that points at a blob', () => {
    const text = toQueueMessageText({
      ActivityId: 'a',
      CompressedBlobName: 'x/message-a-TaskCompleted.json.gz',
      SequenceNumber: 0,
    });
    expect(fromQueueMessageText(text, 'q').CompressedBlobName).toBe('x/message-a-TaskCompleted.json.gz');
  });

  it('refuses text that is not a task hub message, naming the queue', () => {
    expect(() => fromQueueMessageText('hello', 'hub-control-01')).toThrow(MalformedTaskHubDataError);
    expect(() => fromQueueMessageText('hello', 'hub-control-01')).toThrow(
      "Message on queue 'hub-control-01' is not JSON",
    );
    expect(() => fromQueueMessageText('{"ActivityId":"a"}', 'q')).toThrow('neither TaskMessage nor CompressedBlobName');
  });

  it('names large-message blobs as the provider does', () => {
    expect(toLargeMessageBlobName('order-1', 'abc', EventType.TaskScheduled)).toBe(
      'order-1/message-abc-TaskScheduled.json.gz',
    );
  });
});
