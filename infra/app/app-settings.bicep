// The app settings of one function app, by role. Every setting the code reads is set here; the infra consistency
// tests (test/infra) read this file and fail when the code reads a setting that is missing.
// Connections are identity-based: `<connection>__accountName` / `__fullyQualifiedNamespace` with the app's
// user-assigned identity (`__credential` + `__clientId`), never a connection string.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-reference#configure-an-identity-based-connection
// Source: https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-configure-managed-identity

@allowed(['all', 'api', 'worker'])
@description('all: one app runs every function. api / worker: the split described in infra/main.bicep.')
param role string

param storageAccountName string
param serviceBusFullyQualifiedNamespace string
param identityClientId string
param applicationInsightsConnectionString string

@description('Task hub name; both apps of a split must use the same one.')
param taskHubName string

@description('NCRONTAB schedule of the nightly batch.')
param nightlySchedule string

@description('Functions this app must not run (its share of the split belongs to the other app).')
param disabledFunctions array = []

// The Functions host connection. Durable Functions takes the user-assigned identity by client id only.
var storageSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
}

var serviceBusSettings = {
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
}

var monitoringSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// Pinned here so a split's two apps share one task hub whatever host.json says later.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-host-json#override-hostjson-values
var durableSettings = {
  AzureFunctionsJobHost__extensions__durableTask__hubName: taskHubName
}

var scheduleSettings = {
  NIGHTLY_SCHEDULE: nightlySchedule
}

// The job settings lib/config.ts reads, at its defaults; test/infra fails when a default there changes and not here.
// Edit a value here (or in the portal) to tune a deployment.
var jobSettings = {
  THUMBNAIL_SIZES: '64,256,1024'
  THUMBNAIL_MAX_INPUT_BYTES: '20971520'
  THUMBNAIL_MAX_INPUT_PIXELS: '40000000'
  RETENTION_DAYS: '30'
  RESERVATION_TTL_MINUTES: '60'
  NIGHTLY_PARTITIONS: '4'
  CONFIRMATION_SENDER: 'outbox'
  CONFIRMATION_QUEUE: 'order-confirmations'
  PRIORITY_MAX_WAIT_SECONDS: '30'
  SHIPMENT_REFUSED_COUNTRIES: 'AQ'
  SERVICE_BUS_TIMEOUT_SECONDS: '10'
}

// Names with a hyphen cannot be disabled on Linux; test/infra checks none is listed.
// Source: https://learn.microsoft.com/azure/azure-functions/disable-function#considerations
var disabledFunctionSettings = toObject(disabledFunctions, functionName => 'AzureWebJobs.${functionName}.Disabled', functionName => 'true')

var common = union(storageSettings, monitoringSettings, durableSettings, jobSettings, disabledFunctionSettings)

// The API app of a split gets no Service Bus connection and no schedule: it runs none of the functions using them.
output settings object = role == 'api' ? common : union(common, serviceBusSettings, scheduleSettings)
