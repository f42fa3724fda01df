import { repairedInstance } from '../../../src/durable/backend/azureStorage/tracking/instanceRepair';
import { EventType, type HistoryEvent, type InstanceState } from '../../../src/durable/backend/types';

describe('instance row repair', () => {
  const running: InstanceState = {
    instanceId: 'i',
    name: 'sequence',
    executionId: 'e1',
    runtimeStatus: 'Running',
    createdTime: '2026-01-01T00:00:00.000Z',
    lastUpdatedTime: '2026-01-01T00:00:01.000Z',
    generation: 0,
  };
  const completed: HistoryEvent = {
    EventType: EventType.ExecutionCompleted,
    EventId: -1,
    IsPlayed: false,
    Timestamp: '2026-01-01T00:00:05.000Z',
    OrchestrationStatus: 'Completed',
    Result: '[1,2]',
  };

  it('brings a row left Running up to the completion the history holds', () => {
    expect(repairedInstance([completed], running, 'e1')).toEqual({
      ...running,
      runtimeStatus: 'Completed',
      output: '[1,2]',
      lastUpdatedTime: '2026-01-01T00:00:05.000Z',
      completedTime: '2026-01-01T00:00:05.000Z',
    });
  });

  it('leaves rows alone that are already terminal, belong to another execution or have no completion', () => {
    expect(repairedInstance([completed], { ...running, runtimeStatus: 'Completed' }, 'e1')).toBeUndefined();
    expect(repairedInstance([completed], { ...running, executionId: 'e2' }, 'e1')).toBeUndefined();
    expect(repairedInstance([], running, 'e1')).toBeUndefined();
    expect(repairedInstance([completed], undefined, 'e1')).toBeUndefined();
  });
});
