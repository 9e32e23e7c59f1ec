id       = "AOAI018"
name     = "approved-model"
title    = "Model deployments serve approved models"
severity = "error"
category = "governance"

summary = "With `approved_models` configured, every model deployment serves an approved model, in an approved version when the entry lists versions."

rationale = <<-EOT
  Which model a deployment serves decides what it can do, what it costs, where its terms come
  from and how long it lives; teams that approve models one by one need every deployment to pin
  one of them, the way Azure Policy's "Cognitive Services Deployments should only use approved
  Registry Models" audits deployments made through the data plane. The rule is off until
  `approved_models` lists the models: a format and a name (ending with `*` to approve every name
  that starts with the rest) and optionally the approved versions. It reads every deployment
  (azurerm, azapi, Bicep, ARM, plans, and the deployment inputs of the registry modules aoai-lint
  maps), each element of a loop on its own. A deployment that pins no version takes the account's
  default version of the model, which moves as new versions become the default: where versions
  are listed it fails, since what it serves is not decided in the code. A name or version that is
  not known statically is unknown, with what it depends on.
EOT

remediation {
  terraform = "Set `model { format, name, version }` on `azurerm_cognitive_deployment` (or the module's deployment entry) to an approved model and version, or add the model to `approved_models` in `.aoai-lint.hcl` once it is approved."
  bicep     = "Set `properties: { model: { format, name, version } }` on the `Microsoft.CognitiveServices/accounts/deployments` resource (or the module's `deployments` entry) to an approved model and version, or approve the model in `approved_models`."
  arm       = "Set `\"model\": { \"format\", \"name\", \"version\" }` in the deployment's `properties` to an approved model and version, or approve the model in `approved_models`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-versions"
  azure_policy = ["aafe3651-cb78-4f68-9f81-e7e41509110f"]
  checkov      = []
  psrule       = []
}
