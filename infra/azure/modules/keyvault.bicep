// The Key Vault of the hub's secrets, authorised by Azure RBAC (no access policies), and the one
// role the hub's identity has on it: reading secret values.

@description('Where the vault is.')
param location string

@description('The vault name (globally unique, 3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('The principal that reads the secrets (the hub\'s identity).')
param readerPrincipalId string

@description('Its identity\'s resource id (what names the role assignment).')
param readerIdentityId string

@description('The vault secret holding the hub\'s Identity:AuditKey.')
param auditKeySecretName string

@description('The hub\'s Identity:AuditKey: a base64 secret of at least 32 bytes. Keep it: a new one makes earlier audit entries unfindable by citizen.')
@secure()
param auditKey string

@description('Tags for every resource.')
param tags { *: string }

// Key Vault Secrets User: read secret contents.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource auditKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: auditKeySecretName
  properties: {
    value: auditKey
    contentType: 'base64, at least 32 bytes'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerIdentityId, secretsUserRoleId)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
  }
}

@description('The vault name.')
output name string = vault.name

@description('The vault URI, e.g. https://<name>.vault.azure.net/.')
output uri string = vault.properties.vaultUri

@description('The audit key secret (its versionless URI).')
output auditKeySecretUri string = auditKeySecret.properties.secretUri
