// A user-assigned managed identity. Used instead of the app's system identity so its role assignments can be made
// before the app exists: the Functions host starts with the app and needs its storage roles from the first second.

param name string
param location string = resourceGroup().location
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
