// Role assignments for one principal on a Service Bus namespace and an Application Insights component.

param principalId string

@description('Service Bus namespace the serviceBusRoleIds apply to; empty for none.')
param serviceBusNamespaceName string = ''
param serviceBusRoleIds array = []

@description('Application Insights component the applicationInsightsRoleIds apply to; empty for none.')
param applicationInsightsName string = ''
param applicationInsightsRoleIds array = []

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = if (!empty(serviceBusNamespaceName)) {
  name: serviceBusNamespaceName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = if (!empty(applicationInsightsName)) {
  name: applicationInsightsName
}

resource serviceBusAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in (empty(serviceBusNamespaceName) ? [] : serviceBusRoleIds): {
    name: guid(namespace.id, principalId, roleId)
    scope: namespace
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource applicationInsightsAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in (empty(applicationInsightsName) ? [] : applicationInsightsRoleIds): {
    name: guid(applicationInsights.id, principalId, roleId)
    scope: applicationInsights
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
