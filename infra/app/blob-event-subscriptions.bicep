// Event Grid subscriptions that deliver BlobCreated events to the blobs extension webhook of the app running the blob
// triggers. Deployed by infra/hooks/postdeploy after `azd deploy`, once the blob-trigger functions are running and the
// host has created its `blobs_extension` system key. The key is read here with listKeys, so it never passes through
// a shell variable, a command line or a log.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-event-grid-blob-trigger#build-the-endpoint-url
// Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger (source: EventGrid)

@description('Event Grid system topic of the storage account (output BLOB_EVENTS_SYSTEM_TOPIC_NAME of main.bicep).')
param systemTopicName string

@description('Function app that runs the blob triggers (output AZURE_FUNCTION_APP_NAME of main.bicep).')
param functionAppName string

// Function name and container of each blob trigger, kept in step with the code by test/infra.
var blobTriggers = loadJsonContent('app.json').blobTriggers

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: systemTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = [
  for trigger in blobTriggers: {
    parent: topic
    // Subscription names allow letters, digits and hyphens only.
    name: toLower('blob-${replace(trigger.function, '_', '-')}')
    properties: {
      destination: {
        endpointType: 'WebHook'
        properties: {
          // The blob trigger's function id is Host.Functions.<name> for Node apps; the system key lives on the host's
          // "default" key set (POST {site}/host/default/listkeys).
          endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${trigger.function}&code=${listKeys('${functionApp.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      eventDeliverySchema: 'EventGridSchema'
      filter: {
        includedEventTypes: [
          'Microsoft.Storage.BlobCreated'
        ]
        subjectBeginsWith: '/blobServices/default/containers/${trigger.container}/'
      }
      retryPolicy: {
        maxDeliveryAttempts: 30
        eventTimeToLiveInMinutes: 1440
      }
    }
  }
]
