# Built-in Azure roles that matter on a Cognitive Services account. `broad = true` marks roles
# that can read keys, change the account or grant access: too much for a workload that only calls
# models. Source: "Azure built-in roles" on Microsoft Learn.
role "Cognitive Services OpenAI User" {
  id    = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
  broad = false
}
role "Cognitive Services OpenAI Contributor" {
  id    = "a001fd3d-188f-4b5d-821b-7da978bf7442"
  broad = false
}
role "Cognitive Services User" {
  id    = "a97b65f3-24c7-4388-baec-2e87135dc908"
  broad = true
}
role "Cognitive Services Contributor" {
  id    = "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68"
  broad = true
}
role "Owner" {
  id    = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
  broad = true
}
role "Contributor" {
  id    = "b24988ac-6180-42a0-ab88-20f7382dd24c"
  broad = true
}
role "User Access Administrator" {
  id    = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
  broad = true
}
