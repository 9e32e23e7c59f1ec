id       = "AOAI016"
name     = "content-filter"
title    = "Model deployments do not weaken the default content filters"
severity = "warning"
category = "guardrails"

summary = "The content filter policy a model deployment uses filters and blocks every harm category at Medium severity or stricter, blocks jailbreak attempts and keeps protected material detection on completions."

rationale = <<-EOT
  Azure OpenAI filters prompts and completions with a content filter (RAI) policy. A deployment
  that names none uses Microsoft.DefaultV2: Hate, Sexual, Violence and SelfHarm are blocked at
  Medium severity and above, on prompts and completions; jailbreak attempts are blocked; and
  protected material (copyrighted text, licensed code) is caught in completions. A custom policy
  can turn a category off, only annotate it (`blocking` false), raise its threshold to High (low
  and medium severity content then passes), turn off the prompt shields or protected material
  detection. Each of these is a weaker guardrail than the platform gives for free, and a decision
  that belongs in review. Filters a policy does not list keep its base policy's settings. A policy
  that no deployment uses is still checked (it exists to be used), at level note, and the
  asynchronous filter mode, which streams content before filtering finishes, is a note of its own.
  A deployment naming a policy that is neither declared in the scope nor built in is unknown.
EOT

remediation {
  terraform = <<-EOT
    In each `content_filter` block of `azurerm_cognitive_account_rai_policy` keep
    `filter_enabled = true`, `block_enabled = true` and `severity_threshold = "Medium"` (or "Low");
    keep Jailbreak on and blocking, and protected material on for completions; or drop
    `rai_policy_name` to use the default policy.
  EOT
  bicep = "In `properties.contentFilters` of `Microsoft.CognitiveServices/accounts/raiPolicies` keep `enabled: true`, `blocking: true` and `severityThreshold: 'Medium'` (or 'Low'); keep Jailbreak on and blocking and protected material on for completions; or remove `raiPolicyName` from the deployment."
  arm   = "In `properties.contentFilters` of the `raiPolicies` resource keep `enabled` and `blocking` true and `severityThreshold` at 'Medium' or 'Low'; keep Jailbreak and protected material on; or remove `raiPolicyName` from the deployment."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter"
  # Preview, mode Microsoft.CognitiveServices.Data: the harm categories' severity, the prompt
  # filters (jailbreak, indirect attacks) and the completion filters (protected material).
  azure_policy = [
    "930f48f9-f07e-427c-9494-52603581c6a9",
    "f3a9c2e0-7b4d-4d8f-9c3a-2e1f6b9a8d4e",
    "af253d37-136a-42f8-a1fc-30010c083d41",
  ]
  checkov = []
  psrule  = []
}
