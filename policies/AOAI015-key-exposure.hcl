id       = "AOAI015"
name     = "key-exposure"
title    = "Azure OpenAI account keys are not exposed"
severity = "error"
category = "identity"

summary = "Account keys (`primary_access_key`, `secondary_access_key`, `listKeys()`) do not flow into outputs, app settings, container environment variables, AI Foundry connections or parameters that are not secure."

rationale = <<-EOT
  An account key grants full use of every model on the account to whoever holds it. Outputs
  are stored in plain text in the Terraform state and in the deployment history that anyone with
  read access to the resource group can list; app settings and environment variables are
  readable by everyone who can read the app's configuration, and end up in logs and crash
  dumps; a key in an AI Foundry connection is used by everyone who can use the connection
  (AOAI017 reports the connection itself). Keys belong in Key Vault (referenced from app settings) or, better, nowhere: disable
  local authentication and use managed identities. The finding points at the use and names every
  local, variable or parameter the key went through. Terraform outputs with `sensitive = true`,
  Bicep `@secure()` outputs and parameters, ARM `securestring` ones, Key Vault secrets and
  container app secrets are not exposures. In Terraform a key passed into a local module is
  followed to where it lands there, and a called module's output is followed where its caller
  reads it: Terraform keeps a key sensitive through variables and module outputs, so the module
  boundary is no exposure by itself. The key of an account is reported only for the callers
  whose account serves Azure OpenAI.
EOT

remediation {
  terraform = <<-EOT
    Store the key in an `azurerm_key_vault_secret` and reference it (`@Microsoft.KeyVault(...)` in
    app settings, `secret` blocks in container apps), mark outputs `sensitive = true`, or drop
    keys altogether with `local_auth_enabled = false` and managed identities.
  EOT
  bicep = "Write the key to a `Microsoft.KeyVault/vaults/secrets` resource and reference it; use `@secure()` on outputs and params that must carry it; prefer managed identities."
  arm   = "Write the key to a Key Vault secret and reference it; use `securestring` outputs and parameters; prefer managed identities."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-services/security-features"
  checkov = []
  psrule  = []
}
