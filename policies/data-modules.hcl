# Registry modules that deploy an Azure OpenAI capable account. aoai-lint never downloads them;
# it recognizes them by `source` (any version) and maps their inputs onto an account, with the
# defaults their documentation states. Inputs are read as the module's caller writes them.
#
# Each input names the module input and what an absent (or null) input means:
#   kind / location:   the input; `kind_fixed` when the module only deploys one kind.
#   public_access:     the input, its form ("bool": true = enabled; "enabled": "Enabled" or
#                      "Disabled") and whether access is enabled when it is absent.
#                      `public_access_default_with` names an input that, when set, makes the
#                      default "Enabled" (AVM Bicep: network ACLs without publicNetworkAccess).
#   local_auth:        the input and whether local auth is enabled when it is absent;
#                      `local_auth_inverted` when the input disables local auth (`disableLocalAuth`).
#   customer_managed_key, private_endpoints, role_assignments: the inputs whose presence adds a
#                      customer-managed key, private endpoints (group `account`) and role
#                      assignments (`role_key` names each assignment's role).
#   id_outputs:        outputs that are the account's resource id (so a private endpoint or role
#                      assignment outside the module that uses them links to the account).
#   custom_subdomain:  the input; `custom_subdomain_generated` when the module makes one up when it
#                      is absent or empty.
#   network_acls:      the input (an object, or a list whose first item counts) and the names of
#                      its default action and IP rules.
#   identity_type / identity_system_assigned, identity_user_assigned: the identity, either as a
#                      type string or as a system-assigned flag and a list of identity ids.
#   outbound_restricted (with its default when absent) and allowed_fqdns: outbound access.
#   diagnostic_settings: the input whose entries each create a diagnostic setting on the account;
#                      `diagnostic_log_lists` the fields of an entry that list log categories or
#                      groups, `diagnostic_log_default` what an entry that lists none enables, and
#                      `diagnostic_log_presence` fields whose presence enables a category.
#   model_deployments: the input whose entries (a list or a map) each deploy a model on the
#                      account, and where an entry writes the model's format, name and version,
#                      the SKU (with the module's default when an entry names none), the content
#                      filter policy and the version upgrade option.
#   Pattern modules that set a value themselves say so instead of naming an input:
#   `location_fallback` (the input used when `location` is absent), `public_access_disabled_with`
#   (inputs that, all set, disable public access; enabled otherwise) or
#   `public_access_default_flipped_by` (a bool input that, when true, turns the default around),
#   `private_endpoints_form = "bool"` (one endpoint when the input is true) or
#   `private_endpoints_with` (one endpoint when all these inputs are set), and `identity_fixed`,
#   `outbound_fixed`, `network_acls_fixed_default_action`; no `customer_managed_key` input means
#   the module never sets one.
# A setting a module does not map is unknown, never assumed.

registry_module "Azure/avm-res-cognitiveservices-account/azurerm" {
  language                 = "terraform"
  docs                     = "https://registry.terraform.io/modules/Azure/avm-res-cognitiveservices-account/azurerm/latest"
  kind                     = "kind"
  location                 = "location"
  public_access            = "public_network_access_enabled"
  public_access_form       = "bool"
  public_access_default    = true
  local_auth               = "local_auth_enabled"
  # variables.tf: `default = null`, passed to the provider, whose default is true.
  local_auth_default       = true
  customer_managed_key     = "customer_managed_key"
  private_endpoints        = "private_endpoints"
  role_assignments         = "role_assignments"
  role_key                 = "role_definition_id_or_name"
  id_outputs               = ["resource_id", "resource"]
  # main.tf: `coalesce(var.custom_subdomain_name, "azure-cognitive-${random_string...}")`.
  custom_subdomain           = "custom_subdomain_name"
  custom_subdomain_generated = true
  network_acls               = "network_acls"
  network_acls_default_action = "default_action"
  network_acls_ip_rules      = "ip_rules"
  identity_system_assigned   = "managed_identities.system_assigned"
  identity_user_assigned     = "managed_identities.user_assigned_resource_ids"
  # variables.tf: `default = null`, passed on as `== true`.
  outbound_restricted        = "outbound_network_access_restricted"
  outbound_restricted_default = false
  allowed_fqdns              = "fqdns"
  # variables.tf: `log_groups = optional(set(string), ["allLogs"])`, `log_categories` default [].
  diagnostic_settings        = "diagnostic_settings"
  diagnostic_log_lists       = ["log_groups", "log_categories"]
  diagnostic_log_default     = ["allLogs"]
  # variables.tf: `cognitive_deployments`, a map of `{ name, model = { format, name, version },
  # scale = { type, capacity }, rai_policy_name, version_upgrade_option }` (scale is required).
  model_deployments = {
    input           = "cognitive_deployments"
    format          = "model.format"
    name            = "model.name"
    version         = "model.version"
    sku             = "scale.type"
    rai_policy      = "rai_policy_name"
    version_upgrade = "version_upgrade_option"
  }
}

registry_module "Azure/openai/azurerm" {
  language                 = "terraform"
  docs                     = "https://registry.terraform.io/modules/Azure/openai/azurerm/latest"
  kind_fixed               = "OpenAI"
  location                 = "location"
  public_access            = "public_network_access_enabled"
  public_access_form       = "bool"
  public_access_default    = false
  local_auth               = "local_auth_enabled"
  local_auth_default       = true
  customer_managed_key     = "customer_managed_key"
  private_endpoints        = "private_endpoint"
  id_outputs               = ["openai_id"]
  # main.tf: `coalesce(var.custom_subdomain_name, "azure-openai-${random_integer.this.result}")`.
  custom_subdomain           = "custom_subdomain_name"
  custom_subdomain_generated = true
  # A set of ACL objects; the provider takes one.
  network_acls               = "network_acls"
  network_acls_default_action = "default_action"
  network_acls_ip_rules      = "ip_rules"
  identity_type              = "identity.type"
  identity_user_assigned     = "identity.identity_ids"
  outbound_restricted        = "outbound_network_access_restricted"
  outbound_restricted_default = false
  allowed_fqdns              = "fqdns"
  # diagnostic_setting.tf: each `*_log_retention_policy` object adds an `enabled_log` block.
  diagnostic_settings        = "diagnostic_setting"
  diagnostic_log_presence    = {
    audit_log_retention_policy            = "Audit"
    request_response_log_retention_policy = "RequestResponse"
  }
  # variables.tf: `deployment`, a map of `{ name, model_format, model_name, model_version,
  # scale_type, rai_policy_name, version_upgrade_option }`.
  model_deployments = {
    input           = "deployment"
    format          = "model_format"
    name            = "model_name"
    version         = "model_version"
    sku             = "scale_type"
    rai_policy      = "rai_policy_name"
    version_upgrade = "version_upgrade_option"
  }
}

registry_module "br/public:avm/res/cognitive-services/account" {
  language                  = "bicep"
  docs                      = "https://github.com/Azure/bicep-registry-modules/tree/main/avm/res/cognitive-services/account"
  kind                      = "kind"
  # main.bicep: `param location string = resourceGroup().location`: known only at deployment.
  location                  = "location"
  public_access             = "publicNetworkAccess"
  public_access_form        = "enabled"
  public_access_default     = false
  public_access_default_with = "networkAcls"
  local_auth                = "disableLocalAuth"
  local_auth_inverted       = true
  # main.bicep: `param disableLocalAuth bool = true`.
  local_auth_default        = false
  customer_managed_key      = "customerManagedKey"
  private_endpoints         = "privateEndpoints"
  role_assignments          = "roleAssignments"
  role_key                  = "roleDefinitionIdOrName"
  id_outputs                = ["resourceId"]
  custom_subdomain          = "customSubDomainName"
  network_acls              = "networkAcls"
  network_acls_default_action = "defaultAction"
  network_acls_ip_rules     = "ipRules"
  identity_system_assigned  = "managedIdentities.systemAssigned"
  identity_user_assigned    = "managedIdentities.userAssignedResourceIds"
  outbound_restricted       = "restrictOutboundNetworkAccess"
  # main.bicep: `param restrictOutboundNetworkAccess bool = true`.
  outbound_restricted_default = true
  allowed_fqdns             = "allowedFqdnList"
  # main.bicep: without logCategoriesAndGroups (and metrics) every log group is sent.
  diagnostic_settings       = "diagnosticSettings"
  diagnostic_log_lists      = ["logCategoriesAndGroups"]
  diagnostic_log_default    = ["allLogs"]
  diagnostic_log_default_unless = "metricCategories"
  # main.bicep: `deployments`, a list of `{ name?, model: { format, name, version? }, sku?,
  # raiPolicyName?, versionUpgradeOption? }`; deployment/main.bicep: `sku` defaults to Standard.
  model_deployments = {
    input           = "deployments"
    format          = "model.format"
    name            = "model.name"
    version         = "model.version"
    sku             = "sku.name"
    sku_default     = "Standard"
    rai_policy      = "raiPolicyName"
    version_upgrade = "versionUpgradeOption"
  }
  # main.bicep: `param enableDefenderForAI bool?`: when set, `defenderForAISettings` with
  # `state: enableDefenderForAI! ? 'Enabled' : 'Disabled'`; when not, left unmanaged.
  defender_for_ai           = "enableDefenderForAI"
}

# The AI Foundry pattern: one AIServices account (main.foundry.tf, an azapi_resource) with
# its private endpoint, role assignments and diagnostic settings.
registry_module "Azure/avm-ptn-aiml-ai-foundry/azurerm" {
  language                 = "terraform"
  docs                     = "https://registry.terraform.io/modules/Azure/avm-ptn-aiml-ai-foundry/azurerm/latest"
  kind_fixed               = "AIServices"
  location                 = "location"
  # locals.foundry.tf: null means "Disabled" when create_private_endpoints, "Enabled" otherwise.
  public_access            = "ai_foundry.public_network_access_enabled"
  public_access_form       = "bool"
  public_access_default    = true
  public_access_default_flipped_by = "create_private_endpoints"
  # variables.foundry.tf: `disable_local_auth = optional(bool, false)`.
  local_auth               = "ai_foundry.disable_local_auth"
  local_auth_inverted      = true
  local_auth_default       = true
  customer_managed_key     = "ai_foundry.customer_managed_key"
  # main.foundry.tf: one endpoint (`account`) when `create_private_endpoints` (default false).
  private_endpoints        = "create_private_endpoints"
  private_endpoints_form   = "bool"
  role_assignments         = "ai_foundry.role_assignments"
  role_key                 = "role_definition_id_or_name"
  id_outputs               = ["ai_foundry_id"]
  # locals.tf: `coalesce(var.ai_foundry.name, "aif-${var.base_name}-${local.resource_token}")`.
  custom_subdomain           = "ai_foundry.name"
  custom_subdomain_generated = true
  # locals.foundry.tf: null means `defaultAction = "Allow"` with no rules.
  network_acls               = "ai_foundry.network_acls"
  network_acls_default_action = "default_action"
  network_acls_ip_rules      = "ip_rules"
  # variables.foundry.tf: `managed_identities` defaults to `{ system_assigned = true }`.
  identity_system_assigned   = "ai_foundry.managed_identities.system_assigned"
  identity_system_assigned_default = true
  identity_user_assigned     = "ai_foundry.managed_identities.user_assigned_resource_ids"
  # main.foundry.tf: the body sets no restrictOutboundNetworkAccess, so the platform's false.
  outbound_fixed             = false
  # main.diagnostics.tf: `log_groups = optional(set(string), ["allLogs"])`, `log_categories` [].
  diagnostic_settings        = "diagnostic_settings"
  diagnostic_log_lists       = ["log_groups", "log_categories"]
  diagnostic_log_default     = ["allLogs"]
  # variables.tf: `ai_model_deployments`, a map of `{ name, model = { format, name, version },
  # scale = { type, capacity }, rai_policy_name, version_upgrade_option }` (main.foundry.tf).
  model_deployments = {
    input           = "ai_model_deployments"
    format          = "model.format"
    name            = "model.name"
    version         = "model.version"
    sku             = "scale.type"
    rai_policy      = "rai_policy_name"
    version_upgrade = "version_upgrade_option"
  }
}

# The AI Foundry pattern: one AIServices account through the AVM account module
# (modules/account.bicep), private when both the endpoint subnet and the DNS zones are given.
registry_module "br/public:avm/ptn/ai-ml/ai-foundry" {
  language                  = "bicep"
  docs                      = "https://github.com/Azure/bicep-registry-modules/tree/main/avm/ptn/ai-ml/ai-foundry"
  kind_fixed                = "AIServices"
  # main.bicep: `aiFoundryConfiguration.?location`, else `location` (default resourceGroup().location).
  location                  = "aiFoundryConfiguration.location"
  location_fallback         = "location"
  # modules/account.bicep: `publicNetworkAccess: privateNetworkingEnabled ? 'Disabled' : 'Enabled'`,
  # where main.bicep passes DNS zones only with `aiFoundryConfiguration.networking`.
  public_access_disabled_with = ["privateEndpointSubnetResourceId", "aiFoundryConfiguration.networking"]
  private_endpoints_with    = ["privateEndpointSubnetResourceId", "aiFoundryConfiguration.networking"]
  # main.bicep: `disableLocalAuth: aiFoundryConfiguration.?disableLocalAuth ?? true`.
  local_auth                = "aiFoundryConfiguration.disableLocalAuth"
  local_auth_inverted       = true
  local_auth_default        = false
  role_assignments          = "aiFoundryConfiguration.roleAssignments"
  role_key                  = "roleDefinitionIdOrName"
  # main.bicep outputs names only.
  id_outputs                = []
  # main.bicep: `accountName`, else 'ai${resourcesName}'.
  custom_subdomain          = "aiFoundryConfiguration.accountName"
  custom_subdomain_generated = true
  # modules/account.bicep: `networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }`,
  # `managedIdentities: { systemAssigned: true }`; restrictOutboundNetworkAccess is left to the
  # account module's default (true, no FQDNs).
  network_acls_fixed_default_action = "Allow"
  identity_fixed            = "SystemAssigned"
  outbound_fixed            = true
  # main.bicep: `aiModelDeployments`, passed to the account module's `deployments` (the same
  # entries; Standard when an entry names no SKU).
  model_deployments = {
    input           = "aiModelDeployments"
    format          = "model.format"
    name            = "model.name"
    version         = "model.version"
    sku             = "sku.name"
    sku_default     = "Standard"
    rai_policy      = "raiPolicyName"
    version_upgrade = "versionUpgradeOption"
  }
}

# The AI Foundry pattern above deploys no `Microsoft.MachineLearningServices/workspaces` hub at
# this version (Azure/bicep-registry-modules 9f9ea1a: its projects are `accounts/projects` of
# the AIServices account) and no Defender for AI setting: it maps onto no hub.

# Registry modules that deploy an Azure Machine Learning workspace: an AI Foundry hub or
# project when its kind is `Hub` or `Project` (another kind is not read). The inputs mirror the
# workspace's `properties`:
#   kind (and its default), public_access (form and whether access is enabled when absent),
#   managed_network (the object holding `isolationMode` and `outboundRules`), datastore_auth
#   (`systemDatastoresAuthMode`; absent, the platform's `accessKey`), hub (a project's
#   `hubResourceId`), private_endpoints (entries each creating a private endpoint to the
#   `amlworkspace` sub-resource), connections (entries each creating a connection, AOAI017,
#   with its authentication at connection_auth) and id_outputs. `allowPublicAccessWhenBehindVnet` is never
#   set by such a module.

# main.bicep: `param kind string = 'Default'`, `param publicNetworkAccess string = 'Disabled'`,
# `managedNetwork: managedNetworkSettings`, `systemDatastoresAuthMode: systemDatastoresAuthMode`
# (`string?`), `hubResourceId: hubResourceId`, `output resourceId string = workspace.id`.
workspace_module "br/public:avm/res/machine-learning-services/workspace" {
  language              = "bicep"
  docs                  = "https://github.com/Azure/bicep-registry-modules/tree/main/avm/res/machine-learning-services/workspace"
  kind                  = "kind"
  kind_default          = "Default"
  public_access         = "publicNetworkAccess"
  public_access_form    = "enabled"
  public_access_default = false
  managed_network       = "managedNetworkSettings"
  datastore_auth        = "systemDatastoresAuthMode"
  hub                   = "hubResourceId"
  private_endpoints     = "privateEndpoints"
  # main.bicep: `connections` each deploy `connection/main.bicep`, whose properties are the
  # entry's `category`, `target`, `metadata` and `connectionProperties` (with `authType`).
  connections           = "connections"
  connection_auth       = "connectionProperties.authType"
  id_outputs            = ["resourceId"]
}

# Registry modules that deploy private endpoints. Each connection names the resource it
# connects to (`target` within each entry, or `target_input` of the module for all) and the
# sub-resources it reaches (`group_ids`: a list or one name), read within each entry of the
# `connection_lists` inputs, or from the module's own inputs when it has one connection.

# main.bicep: the params mirror the resource's `properties`: each entry of either list is
# `{ name, properties: { privateLinkServiceId, groupIds } }`.
private_endpoint_module "br/public:avm/res/network/private-endpoint" {
  language         = "bicep"
  docs             = "https://github.com/Azure/bicep-registry-modules/tree/main/avm/res/network/private-endpoint"
  connection_lists = ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]
  target           = "properties.privateLinkServiceId"
  group_ids        = "properties.groupIds"
}

# main.tf: one `private_service_connection` from `private_connection_resource_id` and
# `subresource_names`.
private_endpoint_module "Azure/avm-res-network-privateendpoint/azurerm" {
  language  = "terraform"
  docs      = "https://registry.terraform.io/modules/Azure/avm-res-network-privateendpoint/azurerm/latest"
  target    = "private_connection_resource_id"
  group_ids = "subresource_names"
}

# The AVM interfaces utility builds the private endpoints of `private_endpoints` (a map) on
# the resource `private_endpoints_scope`, one per entry with its `subresource_name`, as the
# `private_endpoints_azapi` bodies its caller deploys (the AVM resource modules deploy them all,
# main.privateendpoint.tf); the caller's `azapi_resource` over them has no type known here.
private_endpoint_module "Azure/avm-utl-interfaces/azure" {
  language         = "terraform"
  docs             = "https://registry.terraform.io/modules/Azure/avm-utl-interfaces/azure/latest"
  connection_lists = ["private_endpoints"]
  target_input     = "private_endpoints_scope"
  group_ids        = "subresource_name"
}
