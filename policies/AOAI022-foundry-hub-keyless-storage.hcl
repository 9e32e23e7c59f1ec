id       = "AOAI022"
name     = "foundry-hub-keyless-storage"
title    = "AI Foundry hubs reach their storage with their identity, not a key"
severity = "warning"
category = "identity"

summary = "The hub's system datastores authenticate with its managed identity (`systemDatastoresAuthMode` is `identity`), not with the storage account's key."

rationale = <<-EOT
  A hub keeps its projects' uploaded data, prompt flows and evaluation results in its default
  storage account. With `systemDatastoresAuthMode` `accessKey`, the default, the hub stores the
  account's key and every project reaches the data with it: nobody is identified at the
  storage, and the storage account cannot disable shared key access. With `identity`, the hub
  and its users reach it through role assignments. Defender for Cloud rates this High. The
  azurerm provider's `azurerm_ai_foundry` has no argument for it, so the default applies unless
  an `azapi_update_resource` sets it, which the rule reads.
EOT

remediation {
  terraform = <<-EOT
    Set `properties.systemDatastoresAuthMode = "identity"` in the hub's `azapi_resource` body;
    with `azurerm_ai_foundry` (no argument for it), add an `azapi_update_resource` of type
    `Microsoft.MachineLearningServices/workspaces` with `resource_id` the hub's id and that body,
    and grant the hub's identity Storage Blob Data Contributor on the account.
  EOT
  bicep = "Set `properties: { systemDatastoresAuthMode: 'identity' }` on the hub and grant its identity access to the storage account."
  arm   = "Set `\"systemDatastoresAuthMode\": \"identity\"` in the hub's `properties` and grant its identity access to the storage account."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-foundry/how-to/disable-local-auth"
  checkov = []
  psrule  = []
}
