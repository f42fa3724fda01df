#!/bin/sh
# azd postdeploy hook: creates or updates the Event Grid subscriptions that feed the blob triggers
# (infra/app/blob-event-subscriptions.bicep). It runs after the code is deployed because Event Grid validates the
# blobs-extension webhook when a subscription is created, and only a running blob trigger answers. azd passes the
# environment's values (main.bicep outputs, AZURE_SUBSCRIPTION_ID) as environment variables.
set -eu

if ! node -e "process.exit(require('./infra/app/app.json').blobTriggers.length > 0 ? 0 : 1)"; then
  echo "postdeploy: infra/app/app.json lists no blob triggers; no Event Grid subscription to create."
  exit 0
fi

if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: expected the Azure CLI (az) on PATH to create the blob-trigger Event Grid subscriptions, found none." >&2
  echo "postdeploy: install it, run 'az login', then 'azd hooks run postdeploy'." >&2
  exit 1
fi

: "${AZURE_SUBSCRIPTION_ID:?postdeploy: AZURE_SUBSCRIPTION_ID is not set; run through azd}"
: "${AZURE_RESOURCE_GROUP:?postdeploy: AZURE_RESOURCE_GROUP is not set; run azd provision first}"
: "${AZURE_FUNCTION_APP_NAME:?postdeploy: AZURE_FUNCTION_APP_NAME is not set; run azd provision first}"
: "${BLOB_EVENTS_SYSTEM_TOPIC_NAME:?postdeploy: BLOB_EVENTS_SYSTEM_TOPIC_NAME is not set; run azd provision first}"

# A freshly deployed app may still be starting when Event Grid sends its validation request; try a few times.
attempt=1
until az deployment group create \
  --subscription "$AZURE_SUBSCRIPTION_ID" \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name blob-event-subscriptions \
  --template-file infra/app/blob-event-subscriptions.bicep \
  --parameters systemTopicName="$BLOB_EVENTS_SYSTEM_TOPIC_NAME" functionAppName="$AZURE_FUNCTION_APP_NAME" \
  --output none; do
  if [ "$attempt" -ge 5 ]; then
    echo "postdeploy: the Event Grid subscriptions were not created after $attempt attempts; see the errors above." >&2
    exit 1
  fi
  echo "postdeploy: attempt $attempt failed; retrying in 30 s while the function host starts."
  sleep 30
  attempt=$((attempt + 1))
done

echo "postdeploy: blob-trigger Event Grid subscriptions are in place."
