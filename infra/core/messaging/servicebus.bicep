// Service Bus namespace whose queues, topics and subscriptions are read from the local emulator's config file, so the
// cloud and the emulator declare the same entities from one list. Local (SAS) auth is off: clients use Entra ID.
// Standard tier: sessions and topics are not available on Basic.
// Source: https://learn.microsoft.com/azure/service-bus-messaging/service-bus-premium-messaging (tier comparison)
// Source: https://learn.microsoft.com/azure/service-bus-messaging/overview-emulator (Config.json format)

param name string
param location string = resourceGroup().location
param tags object = {}

@description('One namespace object of the emulator config (UserConfig.Namespaces[n]): Name, Queues[], Topics[].')
param emulatorNamespace object

var queueDeclarations = emulatorNamespace.?Queues ?? []
var topicDeclarations = emulatorNamespace.?Topics ?? []

// Subscriptions are flattened so they can be declared in one loop (Bicep has no nested resource loops).
var subscriptionDeclarations = flatten(map(
  topicDeclarations,
  topic => map(topic.?Subscriptions ?? [], subscription => {
    topicName: topic.Name
    name: subscription.Name
    properties: subscription.?Properties ?? {}
  })
))

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

// Only the delivery semantics are carried over from the emulator config. Message time-to-live is left at the service
// default because the emulator caps it at one hour, which would silently expire production messages.
resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [
  for queue in queueDeclarations: {
    parent: namespace
    name: queue.Name
    properties: {
      requiresSession: queue.?Properties.?RequiresSession ?? false
      maxDeliveryCount: queue.?Properties.?MaxDeliveryCount ?? 10
      lockDuration: queue.?Properties.?LockDuration ?? 'PT1M'
      deadLetteringOnMessageExpiration: queue.?Properties.?DeadLetteringOnMessageExpiration ?? false
      requiresDuplicateDetection: queue.?Properties.?RequiresDuplicateDetection ?? false
      duplicateDetectionHistoryTimeWindow: queue.?Properties.?DuplicateDetectionHistoryTimeWindow ?? 'PT10M'
    }
  }
]

resource topics 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = [
  for topic in topicDeclarations: {
    parent: namespace
    name: topic.Name
    properties: {
      requiresDuplicateDetection: topic.?Properties.?RequiresDuplicateDetection ?? false
      duplicateDetectionHistoryTimeWindow: topic.?Properties.?DuplicateDetectionHistoryTimeWindow ?? 'PT10M'
    }
  }
]

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [
  for subscription in subscriptionDeclarations: {
    name: '${namespace.name}/${subscription.topicName}/${subscription.name}'
    properties: {
      requiresSession: subscription.properties.?RequiresSession ?? false
      maxDeliveryCount: subscription.properties.?MaxDeliveryCount ?? 10
      lockDuration: subscription.properties.?LockDuration ?? 'PT1M'
      deadLetteringOnMessageExpiration: subscription.properties.?DeadLetteringOnMessageExpiration ?? false
    }
    dependsOn: [
      topics
    ]
  }
]

output name string = namespace.name
output id string = namespace.id
// The host-name form that `<connection>__fullyQualifiedNamespace` expects.
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
