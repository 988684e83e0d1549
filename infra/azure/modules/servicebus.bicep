// The Service Bus namespace and every queue the hub declares, with the settings its servicebus
// transport declares them with (IQueueAdmin.EnsureQueueAsync): the same lock duration and maximum
// delivery count as the hub's Messaging options, and expired messages dead-lettered. Dead-letter
// queues are the namespace's own sub-queues (<queue>/$DeadLetterQueue) and need no declaration.

@description('Where the namespace is.')
param location string

@description('The namespace name (globally unique; its host is <name>.servicebus.windows.net).')
param name string

@description('Standard, or Premium for dedicated capacity.')
@allowed(['Standard', 'Premium'])
param sku string

@description('Messaging units when the tier is Premium (1, 2, 4, 8 or 16).')
@allowed([1, 2, 4, 8, 16])
param premiumCapacity int

@description('The queues to create.')
param queues string[]

@description('Peek-lock duration, ISO 8601 (the hub\'s Messaging:LockDuration).')
param lockDuration string

@description('Deliveries before the dead-letter queue (the hub\'s Messaging:MaxDeliveryCount).')
param maxDeliveryCount int

@description('The principal that gets the data role on the namespace.')
param principalId string

@description('Its identity\'s resource id (what names the role assignment).')
param identityId string

@description('The built-in role definition id the principal gets on the namespace.')
param roleDefinitionId string

@description('Tags for every resource.')
param tags { *: string }

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? premiumCapacity : null
  }
  properties: {
    // Microsoft Entra ID only: no shared access keys, so the managed identity is the one way in.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queueName in queues: {
    parent: namespace
    name: queueName
    properties: {
      lockDuration: lockDuration
      maxDeliveryCount: maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      // The namespace's duplicate detection stays off on every queue, as the transport declares
      // them: the hub keeps its own duplicate claims (Messaging:DuplicateDetectionWindow, in its
      // store), because a dead letter replayed under its own MessageId inside the window would be
      // dropped silently by the namespace's detection. It cannot be turned off on an existing queue.
      requiresDuplicateDetection: false
      requiresSession: false
    }
  }
]

resource dataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, identityId, roleDefinitionId)
  scope: namespace
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}

@description('The namespace name (what the KEDA scaler is given).')
output name string = namespace.name

@description('The namespace host name, e.g. hub.servicebus.windows.net (the hub\'s Messaging:ServiceBus:Namespace), from its endpoint https://<host>:443/.')
output fqdn string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
