id       = "AOAI019"
name     = "model-lifecycle"
title    = "Model deployments serve model versions that are not retired or retiring"
severity = "warning"
category = "governance"

summary = "Model deployments serve versions that are not retired (an error), deprecated or retiring within 90 days, and do not pin with `NoAutoUpgrade` a version that has a retirement date."

rationale = <<-EOT
  Azure OpenAI retires model versions on published dates: from then on, deployments of the
  version return errors, and new deployments fail with `ServiceModelDeprecated`. A deprecated
  version is closed to new customers, so the same template fails in a new subscription. The rule
  reads the deployment's model name, version and SKU (some versions retire earlier for Standard
  deployments) and compares them, on the run's day (`--today` to fix it, for reproducible CI), with
  Microsoft Learn's deprecation and retirement tables as data
  (`policies/data-model-lifecycle.hcl`, which says the day it is as of): a retired version is an
  error; a deprecated one, or one retiring within 90 days, a warning with the date and the
  suggested replacement. A deployment with `versionUpgradeOption` `NoAutoUpgrade` on a version that
  has a retirement date stops working on that date instead of moving to a newer version (a
  warning); `OnceNewDefaultVersionAvailable` (the default) and `OnceCurrentVersionExpired` upgrade.
  A preview model version is a note: preview terms apply, as for preview API versions (AOAI012).
  A deployment that pins no version gets the account's default version of the model, which moves;
  it is judged by the default the data gives, or is an error when every version the data lists
  is retired. A model or version that is not in the data is reported as such, never guessed.
EOT

remediation {
  terraform = "Set `model { name, version }` of `azurerm_cognitive_deployment` (or the module's deployment entry) to a current version, the suggested replacement when there is one, and keep `version_upgrade_option` at `OnceNewDefaultVersionAvailable` or `OnceCurrentVersionExpired`."
  bicep     = "Set `properties: { model: { name, version } }` of the deployment (or the module's `deployments` entry) to a current version, the suggested replacement when there is one, and leave `versionUpgradeOption` unset or `OnceCurrentVersionExpired`."
  arm       = "Set `\"model\": { \"name\", \"version\" }` in the deployment's `properties` to a current version, the suggested replacement when there is one, and leave `versionUpgradeOption` unset or `OnceCurrentVersionExpired`."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements"
  checkov = []
  psrule  = []
}
