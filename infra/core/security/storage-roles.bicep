// Storage data-plane role assignments for one principal. A role lands on the whole account, or - to keep a principal
// away from data it does not need - on single containers, queues or tables, which Azure RBAC accepts as scopes.
// Source: https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory#resource-scope
// Source: https://learn.microsoft.com/azure/storage/queues/authorize-access-azure-active-directory#resource-scope

param storageAccountName string
param principalId string

@description('Role definition ids granted on the whole account.')
param accountRoleIds array = []

@description('Role definition id granted on each container in containerNames.')
param containerRoleId string = ''
param containerNames array = []

@description('Role definition id granted on each queue in queueNames.')
param queueRoleId string = ''
param queueNames array = []

@description('Role definition id granted on each table in tableNames.')
param tableRoleId string = ''
param tableNames array = []

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for containerName in containerNames: {
    name: '${storageAccountName}/default/${containerName}'
  }
]

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [
  for queueName in queueNames: {
    name: '${storageAccountName}/default/${queueName}'
  }
]

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = [
  for tableName in tableNames: {
    name: '${storageAccountName}/default/${tableName}'
  }
]

resource accountAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in accountRoleIds: {
    name: guid(account.id, principalId, roleId)
    scope: account
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource containerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (containerName, i) in containerNames: {
    name: guid(containers[i].id, principalId, containerRoleId)
    scope: containers[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', containerRoleId)
    }
  }
]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in queueNames: {
    name: guid(queues[i].id, principalId, queueRoleId)
    scope: queues[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueRoleId)
    }
  }
]

resource tableAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (tableName, i) in tableNames: {
    name: guid(tables[i].id, principalId, tableRoleId)
    scope: tables[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableRoleId)
    }
  }
]
