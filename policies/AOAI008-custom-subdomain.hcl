id       = "AOAI008"
name     = "custom-subdomain"
title    = "Azure OpenAI accounts have a custom subdomain"
severity = "warning"
category = "network"

summary = "The account sets `customSubDomainName`, its own DNS name under `openai.azure.com` / `cognitiveservices.azure.com`."

rationale = <<-EOT
  Without a custom subdomain the account answers on a shared regional endpoint. Microsoft Entra
  ID tokens, private endpoints (their private DNS record is the subdomain) and network ACLs all
  need the account's own name: a private endpoint on an account without one does not resolve,
  and network ACLs are rejected at deployment. Those cases are errors; an account with neither
  is a warning, since it can only be called with keys. The name cannot be changed once set.
EOT

remediation {
  terraform = <<-EOT
    Set `custom_subdomain_name` on `azurerm_cognitive_account` or `azurerm_ai_services`
    (globally unique, usually the account name), or `properties.customSubDomainName` in an
    `azapi_resource` body.
  EOT
  bicep = "Set `properties: { customSubDomainName: name }` (globally unique; it cannot change later)."
  arm   = "Set `\"customSubDomainName\"` in the account's `properties` (globally unique)."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains"
  checkov = []
  psrule  = []
}
