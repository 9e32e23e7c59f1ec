# Connections of AI Foundry accounts, projects and hubs (AOAI017): the categories that reach an
# Azure OpenAI capable account, and the authentication types that store a shared key in the
# connection. https://learn.microsoft.com/azure/ai-foundry/how-to/connections-add
categories       = ["AzureOpenAI", "AIServices", "CognitiveService"]
keyed_auth_types = ["ApiKey"]
