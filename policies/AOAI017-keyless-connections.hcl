id       = "AOAI017"
name     = "keyless-connections"
title    = "AI Foundry connections to Azure OpenAI use Entra ID, not API keys"
severity = "warning"
category = "identity"

summary = "Connections of AI Foundry accounts, projects and hubs to an Azure OpenAI or AI Services account authenticate with Microsoft Entra ID (`AAD`) or a managed identity, not an API key."

rationale = <<-EOT
  A connection with `authType` `ApiKey` stores the account's key in the hub or project: everyone
  who can use the connection uses the key, nobody is identified at the account, and the key
  keeps working until someone rotates it. An `AAD` (Entra ID) or managed identity connection
  calls the account as the user or the project's identity, through role assignments that can be
  scoped and revoked. When the target account disables local authentication, an API key
  connection cannot work at all, which is reported as an error. A key read with `listKeys()`
  into the connection is also AOAI015's finding.
EOT

remediation {
  terraform = <<-EOT
    Replace `azurerm_cognitive_account_connection_api_key` with
    `azurerm_cognitive_account_connection_entra_id` (or `_account_managed_identity`), or set
    `properties.authType = "AAD"` in an azapi connection body, and grant the project's identity
    "Cognitive Services OpenAI User" on the account.
  EOT
  bicep = "Set `properties: { authType: 'AAD' }` on the connection (drop `credentials`) and grant the project's or hub's identity the Cognitive Services OpenAI User role on the account."
  arm   = "Set `\"authType\": \"AAD\"` in the connection's `properties` (without `credentials`) and grant the project's identity the Cognitive Services OpenAI User role on the account."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-foundry/how-to/connections-add"
  checkov = []
  psrule  = []
}
