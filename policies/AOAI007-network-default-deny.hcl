id       = "AOAI007"
name     = "network-default-deny"
title    = "Azure OpenAI network ACLs deny by default"
severity = "warning"
category = "network"

summary = "The account's network ACLs deny traffic that no rule allows (`defaultAction` is `Deny`), and no IP rule opens a range as wide as the internet."

rationale = <<-EOT
  Network ACLs are the account's own firewall. With `defaultAction = "Allow"` (or no ACLs at
  all) every address on the internet reaches the endpoint whenever public network access is
  enabled; IP and virtual network rules only mean something when the default is `Deny`. With
  public network access disabled the ACLs are not evaluated, so `Deny` is defence in depth: the
  finding is then a note, and a warning when public access is enabled. An IP rule such as
  `0.0.0.0/0` (any range of /8 or wider) undoes a `Deny` and is reported on its own.
EOT

remediation {
  terraform = <<-EOT
    Add `network_acls { default_action = "Deny" }` to the account (with `ip_rules` and
    `virtual_network_rules` for the callers that need public access; it requires
    `custom_subdomain_name`), or `properties.networkAcls = { defaultAction = "Deny" }` in an
    `azapi_resource` body. Keep IP rules to the narrowest ranges.
  EOT
  bicep = "Set `properties: { networkAcls: { defaultAction: 'Deny', ipRules: [...] } }`; keep IP rules narrow."
  arm   = "Set `\"networkAcls\": { \"defaultAction\": \"Deny\" }` in the account's `properties`; keep `ipRules` narrow."
}

references {
  learn        = "https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks"
  azure_policy = ["037eea7a-bd0a-46c5-9a66-03aea78705d3"]
  checkov      = []
  psrule       = ["Azure.Cognitive.PublicAccess"]
}
