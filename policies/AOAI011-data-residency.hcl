id       = "AOAI011"
name     = "data-residency"
title    = "Model deployments keep data in the configured geography"
severity = "error"
category = "data-residency"

summary = "With `data_residency` configured, model deployments use SKUs that process prompts and completions only where it allows."

rationale = <<-EOT
  A deployment's SKU decides where inference runs, whatever the account's region: `Global*`
  SKUs (GlobalStandard, GlobalBatch, GlobalProvisionedManaged) may process data in any Azure
  region, `DataZone*` SKUs in any region of the account's data zone (the EU member states or the
  United States), other SKUs in the account's region. Data at rest stays in the account's
  geography either way. The rule is off until `data_residency` is set: "region" allows regional
  SKUs only, "datazone-eu" and "datazone-us" also allow DataZone SKUs for accounts in that zone
  (region groups in `policies/data-regions.hcl`). The finding points at the SKU name.
EOT

remediation {
  terraform = "Set `sku { name = \"Standard\" }` (or `ProvisionedManaged`) on `azurerm_cognitive_deployment`; `DataZoneStandard` when the data zone is allowed."
  bicep     = "Set `sku: { name: 'Standard' }` on the `Microsoft.CognitiveServices/accounts/deployments` resource (`DataZoneStandard` when the zone is allowed)."
  arm       = "Set `\"sku\": { \"name\": \"Standard\" }` on the deployment (`DataZoneStandard` when the zone is allowed)."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/deployment-types"
  checkov = []
  psrule  = []
}
