// Azure deployment of the background-jobs app for the Azure Developer CLI (`azd up`).
//
// Default: one Flex Consumption function app runs every function. With splitApps = true the HTTP functions move to a
// second app (the API app) and the first app becomes the worker - the gatekeeper pattern: the internet-facing app
// holds only the rights it needs to enqueue orders and read job status, the worker holds the rest, and each scales on
// its own plan. Which function runs where is listed in infra/app/app.json and checked against the code by test/infra.
// Source: https://learn.microsoft.com/azure/architecture/patterns/gatekeeper
// Source: https://learn.microsoft.com/azure/azure-functions/functions-best-practices#organize-your-functions
//
// Job status in a split: the status API uses the Durable client, which reads the task hub's Instances and History
// tables (and large payloads from its largemessages container). The API app gets read-only roles on exactly those
// three task hub resources and nothing else in the task hub, so it can report status but cannot start, terminate or
// signal orchestrations. The alternative, hosting the status API on the worker, would keep the task hub away from the
// API app entirely but expose the worker's HTTP surface to callers; reading status is the smaller grant. This relies on
// the Durable extension creating no task hub resources in an app whose orchestrator, activity and entity functions are
// all disabled; the README's "Deploy to Azure" section says what to grant if that ever changes.

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('true: separate API and worker function apps (gatekeeper split). false: one app runs everything.')
param splitApps bool = false

@description('E-mail address for the poison-queue and failed-orchestration alerts; empty for portal-only alerts.')
param alertEmail string = ''

@description('NCRONTAB schedule of the nightly batch (UTC on Flex Consumption).')
param nightlySchedule string = '0 0 2 * * *'

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

var abbreviations = loadJsonContent('abbreviations.json')
var roles = loadJsonContent('core/security/roles.json')
var manifest = loadJsonContent('app/app.json')

// The local emulator's config is the single list of Service Bus entities for both the emulator and Azure.
var serviceBusEmulatorNamespace = loadJsonContent('../servicebus-config.json', '$.UserConfig.Namespaces[0]')

// The task hub name comes from host.json so that the roles scoped to task hub resources below match what the
// Durable extension creates: tables <hub>Instances / <hub>History, container <hub lower>-largemessages.
// Source: https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-azure-storage-provider#storage-representation
var taskHubName = loadJsonContent('../host.json', '$.extensions.durableTask.hubName')
var taskHubTables = ['${taskHubName}Instances', '${taskHubName}History']
var taskHubLargeMessagesContainer = '${toLower(taskHubName)}-largemessages'

// Containers the Functions host keeps its locks and keys in; pre-created so the API app's roles can be scoped to them.
// Source: https://learn.microsoft.com/azure/azure-functions/storage-considerations#storage-account-requirements
var hostContainers = ['azure-webjobs-hosts', 'azure-webjobs-secrets']

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

var workerAppName = '${abbreviations.functionApp}${resourceToken}'
var apiAppName = '${abbreviations.functionApp}api-${resourceToken}'
var workerDeploymentContainer = 'app-package-${take(workerAppName, 32)}'
var apiDeploymentContainer = 'app-package-${take(apiAppName, 32)}'

// Storage queue triggers move failures to <queue>-poison (lib/names.ts poisonQueues, created up front because the app
// writes to them too); blob triggers share webjobs-blobtrigger-poison, which the host creates.
// Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#poison-blobs
var alertedPoisonQueues = concat(manifest.storage.poisonQueues, ['webjobs-blobtrigger-poison'])

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbreviations.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbreviations.logAnalyticsWorkspace}${resourceToken}'
    applicationInsightsName: '${abbreviations.applicationInsights}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbreviations.storageAccount}${resourceToken}'
    location: location
    tags: tags
    containerNames: concat(
      manifest.storage.containers,
      hostContainers,
      [taskHubLargeMessagesContainer, workerDeploymentContainer],
      splitApps ? [apiDeploymentContainer] : []
    )
    queueNames: concat(manifest.storage.queues, manifest.storage.poisonQueues)
    tableNames: concat(manifest.storage.tables, taskHubTables)
  }
}

module serviceBus 'core/messaging/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: '${abbreviations.serviceBusNamespace}${resourceToken}'
    location: location
    tags: tags
    emulatorNamespace: serviceBusEmulatorNamespace
  }
}

module blobEventsTopic 'app/blob-events-topic.bicep' = {
  name: 'blob-events-topic'
  scope: rg
  params: {
    name: '${abbreviations.eventGridSystemTopic}${resourceToken}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

// ---- The worker app (the only app when splitApps is false) ----

module workerIdentity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity-worker'
  scope: rg
  params: {
    name: '${abbreviations.managedIdentity}${workerAppName}'
    location: location
    tags: tags
  }
}

// Durable Functions on Azure Storage with an identity needs blob, queue and table data rights on the account; the
// worker also owns every app queue, container and table, so account scope is the least it can have.
// Source: https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-configure-managed-identity
module workerStorageRoles 'core/security/storage-roles.bicep' = {
  name: 'roles-worker-storage'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: workerIdentity.outputs.principalId
    accountRoleIds: [
      roles.storageBlobDataOwner
      roles.storageQueueDataContributor
      roles.storageTableDataContributor
    ]
  }
}

module workerResourceRoles 'core/security/resource-roles.bicep' = {
  name: 'roles-worker-resources'
  scope: rg
  params: {
    principalId: workerIdentity.outputs.principalId
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusRoleIds: [roles.serviceBusDataSender, roles.serviceBusDataReceiver]
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    applicationInsightsRoleIds: [roles.monitoringMetricsPublisher]
  }
}

module workerSettings 'app/app-settings.bicep' = {
  name: 'settings-worker'
  scope: rg
  params: {
    role: splitApps ? 'worker' : 'all'
    storageAccountName: storage.outputs.name
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    identityClientId: workerIdentity.outputs.clientId
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    taskHubName: taskHubName
    nightlySchedule: nightlySchedule
    disabledFunctions: splitApps ? manifest.functions.api : []
  }
}

module workerApp 'core/host/flex-function-app.bicep' = {
  name: 'app-worker'
  scope: rg
  params: {
    name: workerAppName
    planName: '${abbreviations.flexPlan}${resourceToken}'
    location: location
    tags: tags
    serviceName: 'app'
    identityId: workerIdentity.outputs.id
    deploymentBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: workerDeploymentContainer
    appSettings: workerSettings.outputs.settings
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // The host starts as soon as the app exists; its identity must already hold the storage roles.
  dependsOn: [
    workerStorageRoles
    workerResourceRoles
  ]
}

// ---- The API app (splitApps only) ----

module apiIdentity 'core/security/user-assigned-identity.bicep' = if (splitApps) {
  name: 'identity-api'
  scope: rg
  params: {
    name: '${abbreviations.managedIdentity}${apiAppName}'
    location: location
    tags: tags
  }
}

// Host storage: keys, locks and the deployment package, each container by name.
module apiHostRoles 'core/security/storage-roles.bicep' = if (splitApps) {
  name: 'roles-api-host'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: splitApps ? apiIdentity.outputs.principalId : ''
    containerRoleId: roles.storageBlobDataOwner
    containerNames: concat(hostContainers, [apiDeploymentContainer])
  }
}

// Order intake: send-only on the order queues, read-only on the task hub's status tables.
module apiDataRoles 'core/security/storage-roles.bicep' = if (splitApps) {
  name: 'roles-api-data'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: splitApps ? apiIdentity.outputs.principalId : ''
    queueRoleId: roles.storageQueueDataMessageSender
    queueNames: manifest.apiQueues
    tableRoleId: roles.storageTableDataReader
    tableNames: taskHubTables
    containerRoleId: roles.storageBlobDataReader
    containerNames: [taskHubLargeMessagesContainer]
  }
}

module apiResourceRoles 'core/security/resource-roles.bicep' = if (splitApps) {
  name: 'roles-api-resources'
  scope: rg
  params: {
    principalId: splitApps ? apiIdentity.outputs.principalId : ''
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    applicationInsightsRoleIds: [roles.monitoringMetricsPublisher]
  }
}

module apiSettings 'app/app-settings.bicep' = if (splitApps) {
  name: 'settings-api'
  scope: rg
  params: {
    role: 'api'
    storageAccountName: storage.outputs.name
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    identityClientId: splitApps ? apiIdentity.outputs.clientId : ''
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    taskHubName: taskHubName
    nightlySchedule: nightlySchedule
    disabledFunctions: manifest.functions.worker
  }
}

module apiApp 'core/host/flex-function-app.bicep' = if (splitApps) {
  name: 'app-api'
  scope: rg
  params: {
    name: apiAppName
    planName: '${abbreviations.flexPlan}api-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: splitApps ? apiIdentity.outputs.id : ''
    deploymentBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: apiDeploymentContainer
    appSettings: splitApps ? apiSettings.outputs.settings : {}
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  dependsOn: [
    apiHostRoles
    apiDataRoles
    apiResourceRoles
  ]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: '${abbreviations.scheduledQueryRule}${resourceToken}'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    poisonQueueNames: alertedPoisonQueues
    alertEmail: alertEmail
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
// The app running the worker functions (and, unsplit, every function); azure.yaml service "app".
output AZURE_FUNCTION_APP_NAME string = workerApp.outputs.name
// The app serving HTTP; the same app when unsplit. azure.yaml service "api" deploys here.
output AZURE_API_FUNCTION_APP_NAME string = splitApps ? apiApp.outputs.name : workerApp.outputs.name
output AZURE_API_BASE_URL string = 'https://${splitApps ? apiApp.outputs.defaultHostName : workerApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output BLOB_EVENTS_SYSTEM_TOPIC_NAME string = blobEventsTopic.outputs.name
