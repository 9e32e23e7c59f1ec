id       = "AOAI003"
name     = "customer-managed-key"
title    = "Azure OpenAI accounts encrypt data with a customer-managed key"
severity = "warning"
category = "encryption"

summary = "Data at rest (fine-tuning data, uploaded files, stored completions) is encrypted with a key you control in Key Vault."

rationale = <<-EOT
  By default the service encrypts data with Microsoft-managed keys. A customer-managed key (CMK)
  lets you rotate, audit and revoke the key that protects fine-tuning data, uploaded files,
  batch inputs and stored completions, which many regulatory regimes require. Revoking the key
  makes that data unreadable, a kill switch you do not have with platform keys.
EOT

remediation {
  terraform = <<-EOT
    Add a `customer_managed_key { key_vault_key_id = azurerm_key_vault_key.<name>.id,
    identity_client_id = ... }` block to the account (with a user-assigned identity that can use
    the key), or declare an `azurerm_cognitive_account_customer_managed_key` for it. In an azapi
    body, set `properties.encryption = { keySource = "Microsoft.KeyVault", keyVaultProperties = {...} }`.
  EOT
  bicep = "Set `properties: { encryption: { keySource: 'Microsoft.KeyVault', keyVaultProperties: { keyName: ..., keyVaultUri: ..., identityClientId: ... } } }`."
  arm   = "Set `\"encryption\": { \"keySource\": \"Microsoft.KeyVault\", \"keyVaultProperties\": { ... } }` in the account's `properties`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/openai/encrypt-data-at-rest"
  azure_policy = ["67121cc7-ff39-4ab8-b7e3-95b84dab487d"]
  checkov      = ["CKV2_AZURE_22"]
  psrule       = []
}
