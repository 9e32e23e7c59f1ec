# The Azure Policy built-in definitions the rules cite (`references.azure_policy`), as the public
# repository Azure/azure-policy defines them under built-in-policies/policyDefinitions/ (read on
# 2026-12-07; `commit` is the commit of the file read). Only current definitions are `builtin`:
# a test fails when a policy cites a GUID that is not one of them. Definitions the rules used to
# cite and that are now deprecated are kept as `deprecated`, with what replaces them, so that the
# test says what to cite instead.
#
# `effects` are the definition's allowed effects; `preview` marks a definition still in preview;
# `mode` is set when it is not `Indexed` (`Microsoft.CognitiveServices.Data` definitions evaluate
# data-plane resources such as deployments, not the ARM resources).

builtin "037eea7a-bd0a-46c5-9a66-03aea78705d3" {
  name    = "Azure AI Services resources should restrict network access"
  file    = "Azure Ai Services/NetworkAcls_Audit.json"
  version = "3.1.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "8f5ad30e23561ea73b96c4aadb858ef43c1ce78e"
}

builtin "47ba1dd7-28d9-4b07-a8d5-9813bed64e0c" {
  name    = "Configure Cognitive Services accounts to disable public network access"
  file    = "Cognitive Services/DisablePublicNetworkAccess_Modify.json"
  version = "3.0.0"
  effects = ["Modify", "Disabled"]
  commit  = "8f5ad30e23561ea73b96c4aadb858ef43c1ce78e"
}

builtin "d6759c02-b87f-42b7-892e-71b3f471d782" {
  name    = "Azure AI Services resources should use Azure Private Link"
  file    = "Azure Ai Services/EnablePrivateEndpoints_Audit.json"
  version = "1.0.0"
  effects = ["Audit", "Disabled"]
  commit  = "079b3ace165dfebda43d4a998ba3b9068b5f7fe0"
}

builtin "67121cc7-ff39-4ab8-b7e3-95b84dab487d" {
  name    = "Azure AI Services resources should encrypt data at rest with a customer-managed key (CMK)"
  file    = "Cognitive Services/CustomerManagedKey_Audit.json"
  version = "2.2.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "0269ee1fe6b9f00e2f1854dedd738797ddc6efc4"
}

builtin "71ef260a-8f18-47b7-abcb-62d0673d94dc" {
  name    = "Azure AI Services resources should have key access disabled (disable local authentication)"
  file    = "Azure Ai Services/DisableLocalAuth_Audit.json"
  version = "1.1.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "8f5ad30e23561ea73b96c4aadb858ef43c1ce78e"
}

builtin "e56962a6-4747-49cd-b67b-bf8b01975c4c" {
  name    = "Allowed locations"
  file    = "General/AllowedLocations_Deny.json"
  version = "1.0.0"
  effects = ["Deny"]
  commit  = "0ab9883215e0a65d4df270865fe828ea0149d407"
}

builtin "fe3fd216-4f83-4fc1-8984-2bbec80a3418" {
  name    = "Cognitive Services accounts should use a managed identity"
  file    = "Cognitive Services/ManagedIdentity_Audit.json"
  version = "1.0.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "8f5ad30e23561ea73b96c4aadb858ef43c1ce78e"
}

builtin "1b4d1c4e-934c-4703-944c-27c82c06bebb" {
  name    = "Diagnostic logs in Azure AI services resources should be enabled"
  file    = "Azure Ai Services/DiagnosticLogs_Audit.json"
  version = "1.0.0"
  effects = ["AuditIfNotExists", "Disabled"]
  commit  = "2528349187399ad8be14f8cc77d423550e4e0710"
}

builtin "55d1f543-d1b0-4811-9663-d6d0dbc6326d" {
  name    = "Enable logging by category group for Cognitive Services (microsoft.cognitiveservices/accounts) to Log Analytics"
  file    = "Monitoring/DS_LA_cognitiveservices-accounts_DINE.json"
  version = "1.1.0"
  effects = ["DeployIfNotExists", "AuditIfNotExists", "Disabled"]
  commit  = "62d491cf224e7111042029ed1945dc6fe70c5cd4"
}

builtin "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53" {
  name    = "Key vaults should have deletion protection enabled"
  file    = "Key Vault/Recoverable_Audit.json"
  version = "2.1.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "f7319d6eb87769be8ba87d4d6f7b37eafd992cb0"
}

builtin "930f48f9-f07e-427c-9494-52603581c6a9" {
  name    = "[Preview]: Cognitive Services Deployments should only use allowed control"
  file    = "Cognitive Services/AllowDeploymentMultiSeverityControl_Audit.json"
  version = "1.0.0-preview"
  effects = ["Audit", "Disabled"]
  mode    = "Microsoft.CognitiveServices.Data"
  preview = true
  commit  = "5e36823ca9abe3beeef1770a65d308fb0eb1f24c"
}

builtin "f3a9c2e0-7b4d-4d8f-9c3a-2e1f6b9a8d4e" {
  name    = "[Preview]: Cognitive Services Deployments should only use allowed prompt content filtering"
  file    = "Cognitive Services/AllowDeploymentPromptControl_Audit.json"
  version = "1.0.0-preview"
  effects = ["Audit", "Disabled"]
  mode    = "Microsoft.CognitiveServices.Data"
  preview = true
  commit  = "5e36823ca9abe3beeef1770a65d308fb0eb1f24c"
}

builtin "af253d37-136a-42f8-a1fc-30010c083d41" {
  name    = "[Preview]: Cognitive Services Deployments should only use allowed completion content filtering"
  file    = "Cognitive Services/AllowDeploymentCompletionControl_Audit.json"
  version = "1.0.0-preview"
  effects = ["Audit", "Disabled"]
  mode    = "Microsoft.CognitiveServices.Data"
  preview = true
  commit  = "5e36823ca9abe3beeef1770a65d308fb0eb1f24c"
}

builtin "aafe3651-cb78-4f68-9f81-e7e41509110f" {
  name    = "Cognitive Services Deployments should only use approved Registry Models"
  file    = "Cognitive Services/AllowDeployRegistryModels_Audit.json"
  version = "1.0.1"
  effects = ["Audit", "Deny", "Disabled"]
  mode    = "Microsoft.CognitiveServices.Data"
  commit  = "21ce4b9938c121ecdab18ab156353b31883f4266"
}

builtin "438c38d2-3772-465a-a9cc-7a6666a275ce" {
  name    = "Azure Machine Learning workspaces should disable public network access"
  file    = "Machine Learning/Workspace_PublicNetworkAccessDisabled_Audit.json"
  version = "2.0.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "04a62e1558e865fde1e561a7df850ccc7f8f1c1f"
}

builtin "6ddb1705-c8cf-450e-aa4b-19ad6703c440" {
  name    = "Azure Machine Learning and Ai Studio should use Allow Only Approved Outbound Managed Vnet mode"
  file    = "Machine Learning/ManagedNetworkIsolationMode_Audit.json"
  version = "1.0.0"
  effects = ["Audit", "Deny", "Disabled"]
  commit  = "47061bff315e8a7007d1f03790e440eca0938073"
}

builtin "c2c0c6d8-007b-4a48-8d9b-3539bddd8e87" {
  name    = "Microsoft Defender for AI Services should be enabled"
  file    = "Security Center/ASC_Azure_Defender_AI_AINE.json"
  version = "1.0.0"
  effects = ["AuditIfNotExists", "Disabled"]
  mode    = "All"
  commit  = "bbb051fb1b0e003ed7283749278298101bf00105"
}

deprecated "0725b4dd-7e76-479c-a735-68e7ee23d5ca" {
  name        = "[Deprecated]: Cognitive Services accounts should disable public network access"
  file        = "Cognitive Services/DisablePublicNetworkAccess_Audit.json"
  commit      = "76c4df1f8b5fe52f6ff48c1dc82c841a5bb6799a"
  replaced_by = ["037eea7a-bd0a-46c5-9a66-03aea78705d3", "47ba1dd7-28d9-4b07-a8d5-9813bed64e0c"]
}

deprecated "cddd188c-4b82-4c48-a19d-ddf74ee66a01" {
  name        = "[Deprecated]: Cognitive Services should use private link"
  file        = "Cognitive Services/EnablePrivateEndpoints_Audit.json"
  commit      = "ecd20eb95ca3d8af3c5205cf6a3830fe43da7479"
  replaced_by = ["d6759c02-b87f-42b7-892e-71b3f471d782"]
}
