// The two alerts that say work is being lost: messages moved to a poison queue, and orchestrations that ended Failed.
//
// Why log alerts and not a metric alert on queue depth: Azure Storage publishes QueueMessageCount per account only
// (no per-queue dimension) and about once an hour, so no metric can watch `orders-poison` by itself. The Functions host
// instead logs one warning per message it moves, naming the poison queue; counting those lines catches every move
// within one evaluation period.
// Source: https://learn.microsoft.com/azure/storage/queues/monitor-queue-storage-reference (metrics and dimensions)
// Source: Azure/azure-webjobs-sdk QueueProcessor ("Message has reached MaxDequeueCount of {0}. Moving message to queue '{1}'.")
//
// Failed orchestrations come from the Durable extension's tracking events (category Host.Triggers.DurableTask,
// custom dimensions prop__state / prop__functionType / prop__isReplay).
// Source: https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-diagnostics#application-insights

param location string = resourceGroup().location
param tags object = {}
param namePrefix string
param applicationInsightsId string

@description('Poison queues to watch: each storage queue trigger gets `<queue>-poison`; blob triggers share `webjobs-blobtrigger-poison`.')
param poisonQueueNames array

@description('E-mail address that receives the alerts; empty for portal-only alerts.')
param alertEmail string = ''

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-ops'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'jobs-ops'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var quotedPoisonQueues = join(map(poisonQueueNames, queueName => '"${queueName}"'), ', ')

// Two sources: the host's warning when a message reaches maxDequeueCount, and the app's own log line when it sends a
// message that can never succeed straight to the poison queue.
var poisonQuery = 'traces | where message startswith "Message has reached MaxDequeueCount" or message contains "moved to poison queue" | extend poisonQueue = extract("([a-z0-9-]+-poison)", 1, message) | where poisonQueue in (${quotedPoisonQueues}) | project timestamp, poisonQueue, cloud_RoleName, message'

var failedOrchestrationQuery = 'traces | where tostring(customDimensions.Category) == "Host.Triggers.DurableTask" | where tostring(customDimensions.prop__state) == "Failed" and tostring(customDimensions.prop__functionType) == "Orchestrator" | where tolower(tostring(customDimensions.prop__isReplay)) != "true" | project timestamp, instanceId = tostring(customDimensions.prop__instanceId), functionName = tostring(customDimensions.prop__functionName), reason = tostring(customDimensions.prop__reason), cloud_RoleName'

module poisonAlert '../core/monitor/log-alert.bicep' = {
  name: 'alert-poison-queue'
  params: {
    name: '${namePrefix}-poison-queue'
    displayName: 'Messages moved to a poison queue'
    alertDescription: 'A queue message failed maxDequeueCount times and was moved to ${join(poisonQueueNames, ', ')}. Inspect the poison queue and the PoisonReasons table, fix the cause, then re-enqueue.'
    location: location
    tags: tags
    applicationInsightsId: applicationInsightsId
    query: poisonQuery
    severity: 2
    actionGroupId: empty(alertEmail) ? '' : actionGroup.id
  }
}

module failedOrchestrationAlert '../core/monitor/log-alert.bicep' = {
  name: 'alert-failed-orchestration'
  params: {
    name: '${namePrefix}-failed-orchestration'
    displayName: 'Orchestrations ended Failed'
    alertDescription: 'At least one orchestration reached runtimeStatus Failed. Query its history with the job status API and rewind or restart it.'
    location: location
    tags: tags
    applicationInsightsId: applicationInsightsId
    query: failedOrchestrationQuery
    severity: 2
    actionGroupId: empty(alertEmail) ? '' : actionGroup.id
  }
}
