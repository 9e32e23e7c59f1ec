id       = "AOAI005"
name     = "approved-region"
title    = "Azure OpenAI accounts are deployed in an approved region"
severity = "error"
category = "data-residency"

summary = "The account's location is one of the approved regions (when configured) and is a region where Azure OpenAI exists."

rationale = <<-EOT
  Where the account lives decides where prompts, completions, files and logs are stored and, for
  Standard deployments, processed. Data-protection and residency commitments usually name the
  regions that are allowed. A location that is not an Azure OpenAI region at all is a typo or a
  copy-paste from another service, and the deployment will fail.
EOT

remediation {
  terraform = "Set `location` (or the resource group it comes from) to one of the approved regions, e.g. `location = \"swedencentral\"`; configure the list with `--approved-regions` or `approved_regions` in `.aoai-lint.hcl`."
  bicep     = "Set `location` to one of the approved regions; configure the list with `--approved-regions` or `approved_regions` in `.aoai-lint.hcl`."
  arm       = "Set `\"location\"` to one of the approved regions; configure the list with `--approved-regions` or `approved_regions` in `.aoai-lint.hcl`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/openai/concepts/models#model-summary-table-and-region-availability"
  azure_policy = ["e56962a6-4747-49cd-b67b-bf8b01975c4c"]
  checkov      = []
  psrule       = ["Azure.Resource.AllowedRegions"]
}
