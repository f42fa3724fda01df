# azd postdeploy hook (Windows): same steps as postdeploy.sh - creates or updates the Event Grid subscriptions that
# feed the blob triggers once the code is deployed and the blobs-extension webhook can answer validation.
$ErrorActionPreference = 'Stop'

$manifest = Get-Content -Raw -Path './infra/app/app.json' | ConvertFrom-Json
if ($manifest.blobTriggers.Count -eq 0) {
  Write-Host 'postdeploy: infra/app/app.json lists no blob triggers; no Event Grid subscription to create.'
  exit 0
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Write-Error "postdeploy: expected the Azure CLI (az) on PATH to create the blob-trigger Event Grid subscriptions, found none. Install it, run 'az login', then 'azd hooks run postdeploy'."
}

foreach ($name in 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'BLOB_EVENTS_SYSTEM_TOPIC_NAME') {
  if (-not [Environment]::GetEnvironmentVariable($name)) {
    Write-Error "postdeploy: $name is not set; run azd provision first."
  }
}

# A freshly deployed app may still be starting when Event Grid sends its validation request; try a few times.
for ($attempt = 1; $attempt -le 5; $attempt++) {
  az deployment group create `
    --subscription $env:AZURE_SUBSCRIPTION_ID `
    --resource-group $env:AZURE_RESOURCE_GROUP `
    --name blob-event-subscriptions `
    --template-file infra/app/blob-event-subscriptions.bicep `
    --parameters systemTopicName=$env:BLOB_EVENTS_SYSTEM_TOPIC_NAME functionAppName=$env:AZURE_FUNCTION_APP_NAME `
    --output none
  if ($LASTEXITCODE -eq 0) {
    Write-Host 'postdeploy: blob-trigger Event Grid subscriptions are in place.'
    exit 0
  }
  Write-Host "postdeploy: attempt $attempt failed; retrying in 30 s while the function host starts."
  Start-Sleep -Seconds 30
}
Write-Error 'postdeploy: the Event Grid subscriptions were not created after 5 attempts; see the errors above.'
