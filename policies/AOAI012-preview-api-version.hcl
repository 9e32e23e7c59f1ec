id       = "AOAI012"
name     = "preview-api-version"
title    = "Azure OpenAI resources use GA API versions"
severity = "note"
category = "hygiene"

summary = "`Microsoft.CognitiveServices/*` resources are declared with a generally available API version, not a `-preview` one."

rationale = <<-EOT
  Preview API versions expose preview features, which come with the Supplemental Terms of Use
  for Microsoft Azure Previews: they may not be covered by the Data Protection Addendum or the
  SLA, and they change or disappear without the deprecation period of GA versions. Declaring a
  resource with a preview version is sometimes needed for a new property; the note makes it a
  decision rather than a copy-paste. The finding names the newest GA version when
  `policies/data-api-versions.hcl` knows it.
EOT

remediation {
  terraform = "Use a GA version in the azapi `type` (`Microsoft.CognitiveServices/accounts@2025-06-01`)."
  bicep     = "Use a GA version in the resource type (`'Microsoft.CognitiveServices/accounts@2025-06-01'`)."
  arm       = "Set `\"apiVersion\"` to a GA version (`2025-06-01`)."
}

references {
  learn   = "https://learn.microsoft.com/azure/templates/microsoft.cognitiveservices/allversions"
  checkov = []
  psrule  = []
}
