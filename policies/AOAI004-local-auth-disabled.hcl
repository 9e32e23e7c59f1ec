id       = "AOAI004"
name     = "local-auth-disabled"
title    = "Azure OpenAI accounts disable key authentication"
severity = "error"
category = "identity"

summary = "Local (API key) authentication is disabled, so every caller authenticates with Microsoft Entra ID and RBAC."

rationale = <<-EOT
  API keys are shared secrets: they do not identify the caller, cannot be scoped to a model or
  operation, leak into code, logs and app settings, and keep working until someone rotates them.
  With local authentication disabled, every request carries an Entra ID token, so access is
  per identity, auditable, conditional-access aware and revocable through role assignments.
EOT

remediation {
  terraform = <<-EOT
    Set `local_auth_enabled = false` on `azurerm_cognitive_account` (it defaults to true),
    `local_authentication_enabled = false` on `azurerm_ai_services`, or
    `properties.disableLocalAuth = true` in an `azapi_resource` body; grant callers the
    "Cognitive Services OpenAI User" role instead of handing out keys.
  EOT
  bicep = "Set `properties: { disableLocalAuth: true }` and grant callers the Cognitive Services OpenAI User role."
  arm   = "Set `\"disableLocalAuth\": true` in the account's `properties`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/disable-local-auth"
  azure_policy = ["71ef260a-8f18-47b7-abcb-62d0673d94dc"]
  checkov      = ["CKV_AZURE_236"]
  psrule       = ["Azure.Cognitive.DisableLocalAuth"]
}
