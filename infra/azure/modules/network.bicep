// A virtual network with two subnets: one for the container apps environment, one delegated to
// PostgreSQL Flexible Server, whose server then has no public address; and the private DNS zone the
// hub resolves the server's name in.

@description('Where the network is.')
param location string

@description('The name prefix of the resources.')
param prefix string

@description('The network\'s address space (a /16 or smaller; the two subnets are its first /23 and the /27 after it).')
param addressPrefix string

@description('Tags for every resource.')
param tags { *: string }

// The environment's subnet: /23, the size a workload-profiles environment may use at most and
// enough for the hub's replicas; the database's: /27.
var appsSubnet = cidrSubnet(addressPrefix, 23, 0)
var databaseSubnet = cidrSubnet(addressPrefix, 27, 16)

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${prefix}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: appsSubnet
          delegations: [
            {
              name: 'apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: databaseSubnet
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

resource postgresZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: '${prefix}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource postgresZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresZone
  name: '${prefix}-vnet'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

@description('The container apps environment\'s subnet.')
output appsSubnetId string = vnet.properties.subnets[0].id

@description('The subnet delegated to PostgreSQL Flexible Server.')
output databaseSubnetId string = vnet.properties.subnets[1].id

// Read from the module's outputs, the zone is linked to the network before the server uses it.
@description('The private DNS zone of the server\'s name.')
output postgresZoneId string = postgresZone.id
