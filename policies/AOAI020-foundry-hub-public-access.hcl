id       = "AOAI020"
name     = "foundry-hub-public-access"
title    = "AI Foundry hubs disable public network access"
severity = "error"
category = "network"

summary = "AI Foundry hubs (`Microsoft.MachineLearningServices/workspaces` of kind `Hub`) disable public network access and do not allow public access behind a virtual network; their projects share the hub's setting."

rationale = <<-EOT
  Azure OpenAI is most often used through an AI Foundry hub: it holds the connections to the
  account and serves the playgrounds, prompt flows and agents of its projects. A hub open to the
  internet lets anyone with a stolen token reach those connections from anywhere, whatever the
  account's own network settings say. `publicNetworkAccess` is `Enabled` when not set, and
  `allowPublicAccessWhenBehindVnet` re-opens a hub behind a virtual network (PSRule's
  Azure.ML.PublicAccess, AZR-000406, wants both closed). A hub-based project has no network
  of its own: the hub is judged, and the message names the projects it covers. Azure Policy
  438c38d2 audits it and a10ee784 (Modify) turns it off; Defender for Cloud recommends that
  network connections be limited on AI Foundry. `azurerm_machine_learning_workspace` is not
  read: the provider accepts its `kind` as `Default` or `FeatureStore` only, so it never
  declares a hub.
EOT

remediation {
  terraform = <<-EOT
    Set `public_network_access = "Disabled"` on `azurerm_ai_foundry` (it defaults to
    `Enabled`), or `properties.publicNetworkAccess = "Disabled"` in an `azapi_resource` body of
    type `Microsoft.MachineLearningServices/workspaces` (without
    `allowPublicAccessWhenBehindVnet = true`), and reach the hub through a private endpoint with
    the `amlworkspace` sub-resource.
  EOT
  bicep = "Set `properties: { publicNetworkAccess: 'Disabled' }` on the hub (`kind: 'Hub'`), drop `allowPublicAccessWhenBehindVnet: true`, and reach it through a private endpoint (`groupIds: ['amlworkspace']`)."
  arm   = "Set `\"publicNetworkAccess\": \"Disabled\"` in the hub's `properties` (without `\"allowPublicAccessWhenBehindVnet\": true`) and add a private endpoint with the `amlworkspace` group id."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-foundry/how-to/configure-private-link"
  azure_policy = ["438c38d2-3772-465a-a9cc-7a6666a275ce"]
  checkov      = ["CKV_AZURE_144", "CKV2_AZURE_49"]
  psrule       = ["Azure.ML.PublicAccess"]
}
