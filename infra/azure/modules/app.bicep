// The hub as an Azure Container App: a Log Analytics workspace for its environment's logs, the
// environment in the virtual network, and the app with the hub's identity, its settings as
// environment variables, its secrets as Key Vault references, health probes on /health/live and
// /health/ready, and scale rules on the length of the queues its functions consume (KEDA's
// azure-servicebus scaler, authenticated as the hub's identity).

@description('Where the resources are.')
param location string

@description('The name prefix of the resources.')
param prefix string

@description('The hub\'s image, e.g. hubregistry.azurecr.io/integrationhub:1.4.0.')
param image string

@description('The Azure Container Registry the image is pulled from with the identity (same resource group); empty for a public image.')
param containerRegistryName string

@description('The user-assigned identity the app runs as.')
param identityId string

@description('Its client id (AZURE_CLIENT_ID, which DefaultAzureCredential uses).')
param identityClientId string

@description('Its principal id (for AcrPull).')
param identityPrincipalId string

@description('The environment\'s subnet.')
param subnetId string

@description('Fewest replicas (at least 1: timers, the outbox relay and department pulls need a running hub).')
@minValue(1)
param minReplicas int

@description('Most replicas.')
@minValue(1)
param maxReplicas int

@description('Active messages per replica on one queue before another replica is added.')
@minValue(1)
param messagesPerReplica int

@description('The queues the hub\'s queue functions consume, each a scale rule.')
param scaleQueues string[]

@description('The Service Bus namespace name, for the scaler.')
param serviceBusName string

@description('Environment variables with plain values.')
param environmentVariables { *: string }

@description('Environment variables whose values are Key Vault secrets: variable name to versionless secret URI.')
param vaultEnvironmentVariables { *: string }

@description('vCPU per replica; memory is twice as many GiB.')
@allowed(['0.5', '1.0', '1.5', '2.0', '4.0'])
param cpuCores string

@description('Days the workspace keeps logs.')
@minValue(30)
param logRetentionDays int

@description('Tags for every resource.')
param tags { *: string }

// The hub listens on 8080 in its container (ASPNETCORE_HTTP_PORTS, as the .NET images do).
var port = 8080

// Consumption profile sizes: memory is twice the vCPU.
var memory = {
  '0.5': '1Gi'
  '1.0': '2Gi'
  '1.5': '3Gi'
  '2.0': '4Gi'
  '4.0': '8Gi'
}

// AcrPull: pull images.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe3f45a3f5'

// A Key Vault reference's name in the app: lowercase letters, digits and dashes.
var secrets = [
  for entry in items(vaultEnvironmentVariables): {
    name: toLower(replace(entry.key, '_', '-'))
    keyVaultUrl: entry.value
    identity: identityId
  }
]

var environment = concat(
  [
    { name: 'ASPNETCORE_HTTP_PORTS', value: string(port) }
    { name: 'AZURE_CLIENT_ID', value: identityClientId }
  ],
  map(items(environmentVariables), entry => { name: entry.key, value: entry.value }),
  map(items(vaultEnvironmentVariables), entry => { name: entry.key, secretRef: toLower(replace(entry.key, '_', '-')) })
)

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource managedEnvironment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${prefix}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: subnetId
      internal: false
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: false
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = if (!empty(containerRegistryName)) {
  name: containerRegistryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(containerRegistryName)) {
  name: guid(resourceGroup().id, containerRegistryName, identityId, acrPullRoleId)
  scope: registry
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
  }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: '${prefix}-hub'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  dependsOn: [acrPull]
  properties: {
    environmentId: managedEnvironment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'http'
        allowInsecure: false
      }
      registries: empty(containerRegistryName)
        ? []
        : [
            {
              server: registry!.properties.loginServer
              identity: identityId
            }
          ]
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: 'hub'
          image: image
          env: environment
          resources: {
            cpu: json(cpuCores)
            memory: memory[cpuCores]
          }
          probes: [
            {
              // Migrations run at start: give the first answer up to 100 seconds.
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: port
              }
              initialDelaySeconds: 5
              periodSeconds: 10
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // 503 while the store, the queues or every national system's circuit is out: the
              // replica gets no traffic but keeps running, and comes back by itself.
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: port
              }
              // It asks the store and the namespace.
              timeoutSeconds: 5
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          for queue in scaleQueues: {
            name: 'queue-${queue}'
            custom: {
              type: 'azure-servicebus'
              identity: identityId
              metadata: {
                namespace: serviceBusName
                queueName: queue
                messageCount: string(messagesPerReplica)
              }
            }
          }
        ]
      }
    }
  }
}

@description('The hub\'s public URL.')
output url string = 'https://${app.properties.configuration.ingress.fqdn}'
