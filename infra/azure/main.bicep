// IntegrationHub on Azure: the hub as a container app on Service Bus queues and a PostgreSQL store,
// its secrets in Key Vault, reached with one user-assigned managed identity. Deploy to a resource
// group (docs/deployment.md, "On Azure"). scripts/bicep-lint builds and lints it.

targetScope = 'resourceGroup'

@description('Where every resource is.')
param location string = resourceGroup().location

@description('Name prefix of every resource: lowercase letters, digits and dashes.')
@minLength(3)
@maxLength(12)
param prefix string

@description('Tags for every resource.')
param tags { *: string } = {}

@description('Service Bus tier.')
@allowed(['Standard', 'Premium'])
param serviceBusSku string = 'Standard'

@description('Messaging units when serviceBusSku is Premium.')
@allowed([1, 2, 4, 8, 16])
param serviceBusPremiumCapacity int = 1

@description('Peek-lock duration of every queue in seconds; the hub\'s Messaging:LockDuration is set to the same (Service Bus allows 5 s to 5 min).')
@minValue(5)
@maxValue(300)
param lockDurationSeconds int = 60

@description('Deliveries before the dead-letter queue, on every queue; the hub\'s Messaging:MaxDeliveryCount is set to the same.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int = 10

@description('The hub\'s container image.')
param image string

@description('An Azure Container Registry in this resource group that holds the image, pulled with the identity (AcrPull); empty for a public image.')
param containerRegistryName string = ''

@description('Fewest replicas of the hub (at least 1: timers, the outbox relay and department pulls need a running hub).')
@minValue(1)
param minReplicas int = 3

@description('Most replicas of the hub; keep maxReplicas × (postgresMaxPoolSize + 2) under the server\'s max_connections.')
@minValue(1)
@maxValue(30)
param maxReplicas int = 6

@description('Active messages per replica on one of the function queues before another replica is added.')
@minValue(1)
param messagesPerReplica int = 200

@description('vCPU per replica, e.g. 1.0 or 2.0 (memory is twice as many GiB).')
@allowed(['0.5', '1.0', '1.5', '2.0', '4.0'])
param cpuCores string = '2.0'

@description('PostgreSQL major version.')
@allowed(['14', '15', '16', '17'])
param postgresVersion string = '16'

@description('PostgreSQL compute size.')
param postgresSkuName string = 'Standard_D2ds_v5'

@description('Compute tier of postgresSkuName.')
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'GeneralPurpose'

@description('PostgreSQL storage in GiB (it grows by itself when nearly full).')
@minValue(32)
param postgresStorageSizeGB int = 64

@description('A synchronous standby in another zone with automatic failover (ZoneRedundant), or none (Disabled; the only choice on Burstable).')
@allowed(['Disabled', 'ZoneRedundant', 'SameZone'])
param postgresHighAvailability string = 'ZoneRedundant'

@description('Days of point-in-time backups.')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 14

@description('The PostgreSQL administrator login, which the hub connects as.')
param postgresAdminLogin string = 'hubadmin'

@description('The PostgreSQL administrator password: stored as a Key Vault secret, never in a file.')
@secure()
param postgresAdminPassword string

@description('The hub\'s database.')
param postgresDatabaseName string = 'hub'

@description('Connections each replica\'s steps share (Npgsql Maximum Pool Size); the hub opens 2 more (one for the city code numbers, one for the outbox listener).')
@minValue(5)
param postgresMaxPoolSize int = 16

@description('The hub\'s Identity:AuditKey (base64, at least 32 bytes), stored as a Key Vault secret. Give the same one at every deployment: a new one makes earlier audit entries unfindable by citizen.')
@secure()
param identityAuditKey string

@description('Further settings of the hub, as environment variables (Security__Issuer, Security__Audience, Security__JwksUrl, DossierCodes__AgencyCode, Connectors__Portal__BaseUrl, ...).')
param hubSettings { *: string } = {}

@description('Further settings of the hub whose values are secrets: environment variable name to the name of a secret the operator puts in the vault (Connectors__Portal__ClientSecret: portal-client-secret, Flows__WebhookSecret: portal-webhook-secret, ...).')
param hubVaultSettings { *: string } = {}

@description('The virtual network\'s address space; the environment takes its first /23, PostgreSQL the /27 after it.')
param addressPrefix string = '10.40.0.0/16'

@description('Days Log Analytics keeps the environment\'s logs.')
@minValue(30)
param logRetentionDays int = 30

@description('The Key Vault name (globally unique, 3-24 characters).')
@minLength(3)
@maxLength(24)
param keyVaultName string = take('${prefix}-kv-${uniqueString(resourceGroup().id)}', 24)

// The hub's own queues (functions/IntegrationHub.Functions/Flows/HubQueues.cs; scripts/bicep-lint
// fails when the two lists differ).
var hubQueues = [
  'intake'
  'route'
  'deliver-sector'
  'portal-status'
  'deadline-alerts'
]

// The queues the hub's queue functions consume (HubFunctions.cs): the replicas scale on their
// length. Department queues are pulled by the departments over HTTP, and deadline-alerts by whoever
// notifies people: a backlog there is not the hub's work.
var functionQueues = [
  'intake'
  'route'
  'deliver-sector'
  'portal-status'
]

// Every department queue of every version of the routing table, read from the reference data the
// hub ships, as the hub declares them at start (QueueDeclarations.cs).
var routing = loadJsonContent('../../functions/IntegrationHub.Core/Data/routing.json')
var departmentQueues = flatten(map(routing.versions, version => map(filter(version.departments, department => !empty(department.?queue ?? '')), department => department.queue)))

// Every queue, each once.
var queues = union(hubQueues, departmentQueues)

// Azure Service Bus Data Owner. Sender and Receiver are not enough for this hub: the servicebus
// transport declares its queues and reads their counts (readiness, statistics) through
// ServiceBusAdministrationClient, which needs the namespace's Manage right, and so does the KEDA
// scaler reading a queue's length. Data Owner holds send, receive and manage.
var serviceBusDataOwnerRoleId = '090c5cfd-751d-490a-894a-3ce6f1109419'

var lockDuration = '00:${padLeft(string(lockDurationSeconds / 60), 2, '0')}:${padLeft(string(lockDurationSeconds % 60), 2, '0')}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-hub-id'
  location: location
  tags: tags
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    prefix: prefix
    addressPrefix: addressPrefix
    tags: tags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    name: '${prefix}-bus-${uniqueString(resourceGroup().id)}'
    sku: serviceBusSku
    premiumCapacity: serviceBusPremiumCapacity
    queues: queues
    lockDuration: 'PT${lockDurationSeconds}S'
    maxDeliveryCount: maxDeliveryCount
    principalId: identity.properties.principalId
    identityId: identity.id
    roleDefinitionId: serviceBusDataOwnerRoleId
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: keyVaultName
    readerPrincipalId: identity.properties.principalId
    readerIdentityId: identity.id
    auditKeySecretName: 'identity-audit-key'
    auditKey: identityAuditKey
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  // It writes its secrets into the vault.
  dependsOn: [vault]
  params: {
    location: location
    name: '${prefix}-pg-${uniqueString(resourceGroup().id)}'
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    highAvailability: postgresHighAvailability
    backupRetentionDays: postgresBackupRetentionDays
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    databaseName: postgresDatabaseName
    maxPoolSize: postgresMaxPoolSize
    subnetId: network.outputs.databaseSubnetId
    privateDnsZoneId: network.outputs.postgresZoneId
    keyVaultName: keyVaultName
    passwordSecretName: 'postgres-admin-password'
    connectionSecretName: 'postgres-connection'
    tags: tags
  }
}

module app 'modules/app.bicep' = {
  name: 'app'
  params: {
    location: location
    prefix: prefix
    image: image
    containerRegistryName: containerRegistryName
    identityId: identity.id
    identityClientId: identity.properties.clientId
    identityPrincipalId: identity.properties.principalId
    subnetId: network.outputs.appsSubnetId
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    messagesPerReplica: messagesPerReplica
    scaleQueues: functionQueues
    serviceBusName: serviceBus.outputs.name
    cpuCores: cpuCores
    logRetentionDays: logRetentionDays
    // The hub's settings win over hubSettings: they are what this template built.
    environmentVariables: union(hubSettings, {
      Messaging__Transport: 'servicebus'
      Messaging__ServiceBus__Namespace: serviceBus.outputs.fqdn
      Messaging__Store: 'postgres'
      Messaging__LockDuration: lockDuration
      Messaging__MaxDeliveryCount: string(maxDeliveryCount)
    })
    vaultEnvironmentVariables: union(
      toObject(items(hubVaultSettings), entry => entry.key, entry => '${vault.outputs.uri}secrets/${entry.value}'),
      {
        Messaging__PostgreSql__ConnectionString: postgres.outputs.connectionSecretUri
        Identity__AuditKey: vault.outputs.auditKeySecretUri
      }
    )
    tags: tags
  }
}

@description('The Service Bus namespace\'s host name (Messaging:ServiceBus:Namespace).')
output serviceBusNamespace string = serviceBus.outputs.fqdn

@description('The hub\'s URL.')
output appUrl string = app.outputs.url

@description('The Key Vault URI, where the operator puts the secrets hubVaultSettings names.')
output keyVaultUri string = vault.outputs.uri

@description('The PostgreSQL server\'s host name (resolved inside the virtual network only).')
output postgresHost string = postgres.outputs.fqdn

@description('The hub identity\'s client id.')
output identityClientId string = identity.properties.clientId
