id       = "AOAI010"
name     = "outbound-restricted"
title    = "Azure OpenAI accounts restrict outbound access to an allow-list"
severity = "warning"
category = "network"

summary = "Outbound network access is restricted (`restrictOutboundNetworkAccess`) to the FQDNs of an allow-list (`allowedFqdnList`)."

rationale = <<-EOT
  Features such as "on your data", tools and agents make the account call other services. With
  outbound access restricted, it can only reach the FQDNs on its allow-list, so a crafted prompt
  or a misconfigured data source cannot exfiltrate data to an arbitrary host. The rule checks
  kinds OpenAI and AIServices alike, whatever the kind is computed from (Checkov's check only
  sees a literal `kind = "OpenAI"`). A restriction with an empty allow-list passes: the account
  reaches nothing, the strictest setting (features that call out, such as "on your data", then
  fail until their hosts are listed).
EOT

remediation {
  terraform = <<-EOT
    Set `outbound_network_access_restricted = true` and `fqdns = ["<search>.search.windows.net",
    ...]` on the account, or `properties.restrictOutboundNetworkAccess = true` with
    `properties.allowedFqdnList` in an `azapi_resource` body.
  EOT
  bicep = "Set `properties: { restrictOutboundNetworkAccess: true, allowedFqdnList: [ ... ] }`."
  arm   = "Set `\"restrictOutboundNetworkAccess\": true` and `\"allowedFqdnList\"` in the account's `properties`."
}

references {
  learn   = "https://learn.microsoft.com/azure/ai-services/cognitive-services-data-loss-prevention"
  checkov = ["CKV_AZURE_247"]
  psrule  = []
}
