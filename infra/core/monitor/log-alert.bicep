// A log search alert: runs a KQL query over Application Insights on a schedule and fires when it returns rows.
// Source: https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule

param name string
param displayName string
param alertDescription string
param location string = resourceGroup().location
param tags object = {}

@description('Resource id of the Application Insights component the query runs against.')
param applicationInsightsId string

@description('KQL over the Application Insights tables (traces, requests, ...). Every returned row counts.')
param query string

@allowed([0, 1, 2, 3, 4])
param severity int = 2

param evaluationFrequency string = 'PT5M'
param windowSize string = 'PT15M'

@description('Action group to notify; empty to only show the alert in the portal.')
param actionGroupId string = ''

resource rule 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    displayName: displayName
    description: alertDescription
    severity: severity
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: evaluationFrequency
    windowSize: windowSize
    criteria: {
      allOf: [
        {
          query: query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: empty(actionGroupId) ? [] : [
        actionGroupId
      ]
    }
  }
}

output id string = rule.id
