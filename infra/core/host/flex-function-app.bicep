// One function app on its own Flex Consumption plan. Flex Consumption allows one app per plan, so the plan lives
// here with the app rather than being shared.
// Source: https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan
// Source: https://learn.microsoft.com/azure/azure-functions/functions-infrastructure-as-code (Flex Consumption tab)

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

param location string = resourceGroup().location
param tags object = {}

@description('Value of the azd-service-name tag; azd deploys the service of that name to this app.')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Blob endpoint of the storage account that holds the deployment container, ending in "/".')
param deploymentBlobEndpoint string

@description('Container the deployment package is uploaded to.')
param deploymentContainerName string

@description('App settings. Identity-based connections only: no keys, SAS tokens or storage connection strings.')
param appSettings object

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Flex Consumption runs on Linux only.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // On Flex Consumption the runtime, scale limits and deployment source are set here, not through the
    // FUNCTIONS_WORKER_RUNTIME / WEBSITE_RUN_FROM_PACKAGE app settings, which the plan no longer accepts.
    // Source: https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }

  // Keyless deployment: azd publishes with an Entra token, so publishing profiles (user name + password) are off.
  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }
}

output name string = app.name
output id string = app.id
output defaultHostName string = app.properties.defaultHostName
