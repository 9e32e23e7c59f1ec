id       = "AOAI001"
name     = "public-network-access"
title    = "Azure OpenAI accounts disable public network access"
severity = "error"
category = "network"

summary = "The account must not be reachable from the public internet: public network access is disabled."

rationale = <<-EOT
  With public network access enabled, the account's endpoint answers from any network, and
  prompts, completions and keys travel over the internet. Network ACLs then become the only
  barrier, and they are easy to loosen by mistake. Disabling public access forces every client
  through a private endpoint or a trusted service, which is what most enterprise data-protection
  policies require for Azure OpenAI.
EOT

remediation {
  terraform = <<-EOT
    Set `public_network_access_enabled = false` on `azurerm_cognitive_account` (it defaults to
    true), `public_network_access = "Disabled"` on `azurerm_ai_services`, or
    `properties.publicNetworkAccess = "Disabled"` in an `azapi_resource` body, and reach the
    account through a private endpoint.
  EOT
  bicep = "Set `properties: { publicNetworkAccess: 'Disabled' }` on the `Microsoft.CognitiveServices/accounts` resource."
  arm   = "Set `\"publicNetworkAccess\": \"Disabled\"` in the account's `properties`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks"
  # Audit/Deny, and Modify (which sets publicNetworkAccess to Disabled).
  azure_policy = ["037eea7a-bd0a-46c5-9a66-03aea78705d3", "47ba1dd7-28d9-4b07-a8d5-9813bed64e0c"]
  checkov      = ["CKV_AZURE_134"]
  psrule       = ["Azure.Cognitive.PublicAccess"]
}
