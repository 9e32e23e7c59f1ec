id       = "AOAI023"
name     = "defender-for-ai"
title    = "Deployments that declare Microsoft Defender for AI keep it on"
severity = "warning"
category = "logging"

summary = "A deployment that declares Microsoft Defender for AI does not turn it off: the `AI` plan of `Microsoft.Security/pricings` is `Standard`, and an account's `defenderForAISettings` are `Enabled`."

rationale = <<-EOT
  Defender for AI services watches the prompts and completions of Azure OpenAI accounts for
  jailbreaks, data leakage and credential theft, and raises alerts with the evidence. It is a
  subscription plan (`Microsoft.Security/pricings` named `AI`,
  `azurerm_security_center_subscription_pricing` with `resource_type = "AI"`); an account can
  also opt out on its own (`Microsoft.CognitiveServices/accounts/defenderForAISettings` with
  `state` `Disabled`). A deployment that sets the plan to `Free` or opts an account out turns
  the protection off, which is reported at the value. Not declaring the plan is not a finding by
  default, since subscription plans are usually set elsewhere (Azure Policy c2c0c6d8 audits the
  subscription); with `require_defender_for_ai = true` in the configuration file, a
  subscription deployment that does not declare it gets a note.
EOT

remediation {
  terraform = <<-EOT
    Set `tier = "Standard"` on the `azurerm_security_center_subscription_pricing` whose
    `resource_type` is `AI` (or `properties.pricingTier = "Standard"` in an azapi
    `Microsoft.Security/pricings` body named `AI`), and `properties.state = "Enabled"` in an
    account's `defenderForAISettings`.
  EOT
  bicep = "Set `properties: { pricingTier: 'Standard' }` on the `Microsoft.Security/pricings` resource named `AI` (a subscription deployment), and `properties: { state: 'Enabled' }` on an account's `defenderForAISettings`."
  arm   = "Set `\"pricingTier\": \"Standard\"` in the `properties` of the `Microsoft.Security/pricings` resource named `AI`, and `\"state\": \"Enabled\"` in an account's `defenderForAISettings`."
}

references {
  learn        = "https://learn.microsoft.com/azure/defender-for-cloud/ai-threat-protection"
  azure_policy = ["c2c0c6d8-007b-4a48-8d9b-3539bddd8e87"]
  checkov      = []
  psrule       = []
}
