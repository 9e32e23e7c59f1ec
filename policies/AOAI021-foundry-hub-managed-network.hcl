id       = "AOAI021"
name     = "foundry-hub-managed-network"
title    = "AI Foundry hubs isolate outbound traffic to approved destinations"
severity = "warning"
category = "network"

summary = "The hub's managed network allows only approved outbound traffic (`managedNetwork.isolationMode` is `AllowOnlyApprovedOutbound`): its outbound rules are the allow-list."

rationale = <<-EOT
  The compute of a hub (compute instances, serverless compute, prompt flow runtimes, managed
  online endpoints) runs in its managed virtual network. With `AllowOnlyApprovedOutbound` it
  can only reach the hub's own resources and the destinations of its outbound rules, so a
  prompt-injected flow or a compromised package cannot send data anywhere.
  `AllowInternetOutbound` lets it call any host, and `Disabled` (the default) gives it no
  managed isolation at all. A hub with public access disabled and a private endpoint keeps its
  traffic in the customer's own network: without managed isolation that is reported as a note,
  since that network, not the hub, then decides where traffic may go. The message lists the
  outbound rules, written on the hub or as their own resources. Azure Policy 6ddb1705 audits
  the isolation mode; Checkov's CKV_AZURE_243 (ARM templates only) looks for a private endpoint
  among the managed network's outbound rules.
EOT

remediation {
  terraform = <<-EOT
    Set `managed_network { isolation_mode = "AllowOnlyApprovedOutbound" }` on
    `azurerm_ai_foundry` and list the destinations it needs with
    `azurerm_machine_learning_workspace_network_outbound_rule_fqdn` (or `_private_endpoint`,
    `_service_tag`), or `properties.managedNetwork.isolationMode` with `outboundRules` in an
    `azapi_resource` body.
  EOT
  bicep = "Set `properties: { managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound', outboundRules: { ... } } }` on the hub."
  arm   = "Set `\"managedNetwork\": { \"isolationMode\": \"AllowOnlyApprovedOutbound\", \"outboundRules\": { ... } }` in the hub's `properties`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-foundry/how-to/configure-managed-network"
  azure_policy = ["6ddb1705-c8cf-450e-aa4b-19ad6703c440"]
  checkov      = ["CKV_AZURE_243"]
  psrule       = []
}
