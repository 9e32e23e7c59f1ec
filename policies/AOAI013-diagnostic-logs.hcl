id       = "AOAI013"
name     = "diagnostic-logs"
title    = "Azure OpenAI accounts send their audit and request logs somewhere"
severity = "note"
category = "logging"

summary = "A diagnostic setting on the account enables the `Audit` or `RequestResponse` logs (or the `allLogs` / `audit` category groups)."

rationale = <<-EOT
  Without a diagnostic setting, who called the account, with which key or identity, and which
  management operations ran are not recorded anywhere you can query; an incident cannot be
  reconstructed. The rule looks for a diagnostic setting anywhere in the scope whose target is
  the account (`target_resource_id`, Bicep `scope:`, ARM `scope`) and that enables audit or
  request logs; metrics alone do not count.
EOT

remediation {
  terraform = <<-EOT
    Add an `azurerm_monitor_diagnostic_setting` with `target_resource_id` set to the account's id,
    a destination (`log_analytics_workspace_id`, storage or Event Hubs) and
    `enabled_log { category_group = "audit" }` (or `category = "Audit"` and `"RequestResponse"`).
  EOT
  bicep = "Add a `Microsoft.Insights/diagnosticSettings` resource with `scope: account`, a `workspaceId` and `logs: [{ categoryGroup: 'audit', enabled: true }]`."
  arm   = "Add a `Microsoft.Insights/diagnosticSettings` resource whose `scope` is the account, with a destination and `logs` enabling the `audit` category group."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/openai/how-to/monitor-openai"
  # AuditIfNotExists, and DeployIfNotExists (a category-group setting to Log Analytics).
  azure_policy = ["1b4d1c4e-934c-4703-944c-27c82c06bebb", "55d1f543-d1b0-4811-9663-d6d0dbc6326d"]
  checkov      = []
  psrule       = []
}
