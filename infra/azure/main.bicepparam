// An example: the center's hub in Southeast Asia. The two secrets come from the deploying shell's
// environment, never from this file:
//   export HUB_POSTGRES_ADMIN_PASSWORD=...   # a new strong password
//   export HUB_IDENTITY_AUDIT_KEY=...        # the hub's audit key: base64, at least 32 bytes, kept
using 'main.bicep'

param location = 'southeastasia'
param prefix = 'hubhn'
param tags = {
  system: 'integrationhub'
  owner: 'trung-tam-phuc-vu-hanh-chinh-cong'
}

param serviceBusSku = 'Standard'
param lockDurationSeconds = 60
param maxDeliveryCount = 10

param image = 'hubhnregistry.azurecr.io/integrationhub:1.0.0'
param containerRegistryName = 'hubhnregistry'
param minReplicas = 3
param maxReplicas = 6
param messagesPerReplica = 200
param cpuCores = '2.0'

param postgresVersion = '16'
param postgresSkuName = 'Standard_D2ds_v5'
param postgresSkuTier = 'GeneralPurpose'
param postgresStorageSizeGB = 64
param postgresHighAvailability = 'ZoneRedundant'
param postgresAdminPassword = readEnvironmentVariable('HUB_POSTGRES_ADMIN_PASSWORD')
param identityAuditKey = readEnvironmentVariable('HUB_IDENTITY_AUDIT_KEY')

// Settings the hub refuses to start without outside Development (README, "Security" and
// "Connectors"); the values here are the center's to fill.
param hubSettings = {
  Security__Issuer: 'https://login.hanoi.gov.vn/realms/hub'
  Security__Audience: 'integrationhub'
  Security__JwksUrl: 'https://login.hanoi.gov.vn/realms/hub/protocol/openid-connect/certs'
  DossierCodes__AgencyCode: '000.00.00.H26'
  Connectors__Portal__BaseUrl: 'https://dichvucong.gov.vn/hub'
  Connectors__Portal__TokenEndpoint: 'https://dichvucong.gov.vn/oauth2/token'
  Connectors__Portal__ClientId: 'hanoi-hub'
}

// Secrets the operator puts in the vault (az keyvault secret set) under these names.
param hubVaultSettings = {
  Connectors__Portal__ClientSecret: 'portal-client-secret'
  Flows__WebhookSecret: 'portal-webhook-secret'
}
