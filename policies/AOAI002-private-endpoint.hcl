id       = "AOAI002"
name     = "private-endpoint"
title    = "Azure OpenAI accounts are reached through a private endpoint"
severity = "error"
category = "network"

summary = "A private endpoint with the `account` sub-resource connects to the account."

rationale = <<-EOT
  Disabling public network access only makes the account unreachable; a private endpoint is what
  lets workloads in your virtual network reach it over a private IP address, with traffic that
  never leaves the Microsoft backbone. The endpoint must target the account itself with the
  `account` group id (sub-resource); an endpoint for another sub-resource or another resource does
  not count.
EOT

remediation {
  terraform = <<-EOT
    Declare an `azurerm_private_endpoint` whose `private_service_connection` has
    `private_connection_resource_id = azurerm_cognitive_account.<name>.id` and
    `subresource_names = ["account"]`, plus a `private_dns_zone_group` for
    `privatelink.openai.azure.com`.
  EOT
  bicep = "Declare a `Microsoft.Network/privateEndpoints` resource whose `privateLinkServiceConnections` use `privateLinkServiceId: account.id` and `groupIds: ['account']`."
  arm   = "Declare a `Microsoft.Network/privateEndpoints` resource whose `privateLinkServiceConnections[].properties` have the account's `resourceId(...)` as `privateLinkServiceId` and `groupIds: [\"account\"]`."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks#use-private-endpoints"
  azure_policy = ["d6759c02-b87f-42b7-892e-71b3f471d782"]
  checkov      = []
  psrule       = ["Azure.Cognitive.PrivateEndpoints"]
}
