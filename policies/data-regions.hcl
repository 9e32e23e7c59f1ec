# Regions where an Azure OpenAI (or AIServices) account can be created, in normalized form
# (lower case, no spaces). Source: the model availability matrices of Microsoft Learn
# ("Azure OpenAI models: model summary table and region availability"). Availability changes
# monthly: update this list, not the code.
openai_regions = [
  # Americas
  "brazilsouth", "canadacentral", "canadaeast", "centralus", "eastus", "eastus2",
  "northcentralus", "southcentralus", "westcentralus", "westus", "westus2", "westus3",
  # Europe
  "francecentral", "germanywestcentral", "italynorth", "norwayeast", "polandcentral",
  "spaincentral", "swedencentral", "switzerlandnorth", "switzerlandwest", "uksouth", "ukwest",
  "westeurope",
  # Asia Pacific
  "australiaeast", "japaneast", "koreacentral", "southeastasia", "southindia",
  # Middle East and Africa
  "southafricanorth", "uaenorth",
]

# Data zones (AOAI011): a `DataZone*` deployment may process prompts and completions in any
# region of its account's zone. Source: Microsoft Learn, "Deployment types" (Data zone standard:
# "the data zone of the resource: EU member states or the United States").
datazone_eu = [
  "francecentral", "germanywestcentral", "italynorth", "northeurope", "polandcentral",
  "spaincentral", "swedencentral", "westeurope",
]
datazone_us = [
  "centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westcentralus",
  "westus", "westus2", "westus3",
]
