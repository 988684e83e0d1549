// PostgreSQL Flexible Server with the hub's database, reachable only from the virtual network
// (a delegated subnet and a private DNS zone: no public address, so no firewall rules), and its
// secrets written to the Key Vault: the administrator password and the hub's connection string.

@description('Where the server is.')
param location string

@description('The server name (its host is <name>.postgres.database.azure.com, resolved privately).')
param name string

@description('PostgreSQL major version.')
@allowed(['14', '15', '16', '17'])
param version string

@description('Compute size, e.g. Standard_D2ds_v5.')
param skuName string

@description('Compute tier of skuName.')
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param skuTier string

@description('Storage in GiB.')
@minValue(32)
param storageSizeGB int

@description('A standby in another zone (synchronous replication, automatic failover), or none. Burstable has none.')
@allowed(['Disabled', 'ZoneRedundant', 'SameZone'])
param highAvailability string

@description('Days of point-in-time backups.')
@minValue(7)
@maxValue(35)
param backupRetentionDays int

@description('The administrator login, which the hub uses (it applies its migrations at start).')
param administratorLogin string

@description('The administrator password; it is written to the Key Vault and nowhere else.')
@secure()
param administratorPassword string

@description('The hub\'s database.')
param databaseName string

@description('Connections each hub instance may open (Npgsql Maximum Pool Size).')
param maxPoolSize int

@description('The subnet delegated to the server.')
param subnetId string

@description('The private DNS zone of the server\'s name.')
param privateDnsZoneId string

@description('The Key Vault that receives the secrets.')
param keyVaultName string

@description('The vault secret holding the administrator password.')
param passwordSecretName string

@description('The vault secret holding the hub\'s connection string.')
param connectionSecretName string

@description('Tags for every resource.')
param tags { *: string }

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailability
    }
    network: {
      delegatedSubnetResourceId: subnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource passwordSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: passwordSecretName
  properties: {
    value: administratorPassword
    contentType: 'PostgreSQL administrator password'
  }
}

// The hub's Messaging:PostgreSql:ConnectionString (Npgsql). VerifyFull checks the server's
// certificate and name against the image's CA bundle. The password is quoted (single quotes, a
// quote in it doubled), so that a ';' or '=' in it stays part of it.
resource connectionSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: connectionSecretName
  properties: {
    value: 'Host=${server.properties.fullyQualifiedDomainName};Database=${database.name};Username=${administratorLogin};Password=\'${replace(administratorPassword, '\'', '\'\'')}\';SSL Mode=VerifyFull;Maximum Pool Size=${maxPoolSize}'
    contentType: 'Npgsql connection string'
  }
}

@description('The server\'s host name.')
output fqdn string = server.properties.fullyQualifiedDomainName

@description('The vault secret of the connection string (its versionless URI).')
output connectionSecretUri string = connectionSecret.properties.secretUri
