id       = "AOAI006"
name     = "least-privilege-role"
title    = "Role assignments on Azure OpenAI accounts use the data-plane OpenAI roles"
severity = "warning"
category = "identity"

summary = "Role assignments scoped to the account, or to the resource group or subscription that holds it, grant Cognitive Services OpenAI User or Contributor, not roles that can read keys or change the account."

rationale = <<-EOT
  Owner, Contributor, User Access Administrator, Cognitive Services Contributor and Cognitive
  Services User all include `listKeys`, or can change the account's network and identity
  settings, or can grant access to others. A workload that only needs to call the models should
  have Cognitive Services OpenAI User; one that also manages deployments, fine-tuning or files,
  Cognitive Services OpenAI Contributor. Broad roles on the account quietly undo disabling key
  authentication, since a key can be read back. A role on the resource group that holds the
  account (a Bicep or ARM role assignment without `scope:` is one), or on its subscription,
  grants the same access to every account inside: those are judged the same way, naming the
  accounts they reach; a group whose accounts cannot be known, or a subscription named by an id
  that may not be the accounts', is unknown. So is a broad role whose scope cannot be known at
  all (a module deployed to a group named by a parameter) in a deployment that declares accounts:
  `scope: resourceGroup()` is the deployment's own group, as no `scope:` is.
EOT

remediation {
  terraform = "Use `role_definition_name = \"Cognitive Services OpenAI User\"` (or \"Cognitive Services OpenAI Contributor\") for assignments whose `scope` is the account, and keep broad roles off the resource group and subscription that hold it."
  bicep     = "Use `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd')` (Cognitive Services OpenAI User) as `roleDefinitionId`."
  arm       = "Use the Cognitive Services OpenAI User role (`5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`) as `roleDefinitionId`."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-services/openai/how-to/role-based-access-control"
  checkov = []
  psrule  = []
}
