id       = "AOAI009"
name     = "managed-identity"
title    = "Azure OpenAI accounts have a managed identity that can read their key"
severity = "warning"
category = "identity"

summary = "The account has a managed identity (type not `None`); with a customer-managed key, an identity attached to the account reads it."

rationale = <<-EOT
  A managed identity lets the account reach Key Vault, storage and search without keys or
  secrets. Customer-managed keys depend on it: with no identity, or with `identity_client_id` /
  `identityClientId` naming an identity that is not attached to the account, the key cannot be
  read and the account cannot encrypt or decrypt (an error). A key set on the account itself at
  creation needs a user-assigned identity: a system-assigned one only exists once the account
  does, too late to be granted access to the key (bind the key afterwards with
  `azurerm_cognitive_account_customer_managed_key` to use it).
EOT

remediation {
  terraform = <<-EOT
    Add `identity { type = "UserAssigned" identity_ids = [azurerm_user_assigned_identity.x.id] }`
    (or `SystemAssigned`) to the account, and set the customer-managed key's
    `identity_client_id` to the client id of an identity in `identity_ids`. In azapi the
    `identity` block sits beside `body`.
  EOT
  bicep = "Add `identity: { type: 'UserAssigned', userAssignedIdentities: { '${uami.id}': {} } }` and set `encryption.keyVaultProperties.identityClientId: uami.properties.clientId`."
  arm   = "Add an `identity` with `userAssignedIdentities`, and set `encryption.keyVaultProperties.identityClientId` to the client id of one of them."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/openai/encrypt-data-at-rest"
  azure_policy = ["fe3fd216-4f83-4fc1-8984-2bbec80a3418"]
  checkov      = ["CKV_AZURE_238"]
  # PSRule's Azure.Cognitive.ManagedIdentity is now an alias of Azure.AI.ManagedIdentity, which
  # only runs on TextAnalytics accounts: no PSRule rule checks an OpenAI or AIServices account.
  psrule       = []
}
