id       = "AOAI014"
name     = "cmk-key-vault-protection"
title    = "The key vault of a customer-managed key is protected against purge"
severity = "warning"
category = "encryption"

summary = "The key vault holding the account's customer-managed key has purge protection on and soft delete not disabled."

rationale = <<-EOT
  With a customer-managed key, the key is the only way to read the account's data at rest. If
  the key or its vault is deleted and purged, by mistake or by an attacker, the data is lost for
  good. Soft delete keeps deleted keys recoverable; purge protection forbids purging them before
  the retention period ends, even for administrators. The vault is found through the key
  resource (`azurerm_key_vault_key`) or the vault itself (`keyVaultUri` of a Bicep vault); a
  vault that is not declared in the scope, or only as `existing`, is reported as unknown.
EOT

remediation {
  terraform = "Set `purge_protection_enabled = true` on the `azurerm_key_vault` that holds the key (soft delete is always on in azurerm 3 and later)."
  bicep     = "Set `properties: { enablePurgeProtection: true }` on the vault and do not set `enableSoftDelete: false`."
  arm       = "Set `\"enablePurgeProtection\": true` in the vault's `properties` and leave `enableSoftDelete` true."
}

references {
  learn        = "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
  azure_policy = ["0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"]
  checkov      = ["CKV_AZURE_110", "CKV_AZURE_42"]
  psrule       = ["Azure.KeyVault.PurgeProtect", "Azure.KeyVault.SoftDelete"]
}
