# The newest generally available (non-preview) API version of each Microsoft.CognitiveServices
# resource type, named in AOAI012's findings. Source: the Microsoft.CognitiveServices template
# reference on Microsoft Learn (API versions list). Update this file, not the code, when a new
# GA version ships.
latest_ga = {
  "Microsoft.CognitiveServices/accounts"                          = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/deployments"              = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/raiPolicies"              = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/raiBlocklists"            = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/privateEndpointConnections" = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/commitmentPlans"          = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/projects"                 = "2025-06-01"
  "Microsoft.CognitiveServices/accounts/connections"              = "2025-06-01"
}
