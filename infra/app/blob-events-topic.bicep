// The Event Grid system topic of the storage account. Blob triggers with `source: 'EventGrid'` (the only source Flex
// Consumption supports) receive BlobCreated events through subscriptions on this topic. The subscriptions themselves
// are created after the code is deployed, by infra/hooks/postdeploy (see blob-event-subscriptions.bicep), because
// Event Grid validates a webhook when the subscription is created and the blobs extension only answers once the
// function is running.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-event-grid-blob-trigger
// Source: https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#considerations

param name string
param location string = resourceGroup().location
param tags object = {}
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
