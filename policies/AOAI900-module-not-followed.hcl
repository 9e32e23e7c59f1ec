id       = "AOAI900"
name     = "module-not-followed"
title    = "A module whose resources are not checked"
severity = "note"
category = "coverage"

summary = "A module call aoai-lint cannot read: a remote (registry, git, HTTP) source, a cycle or a missing directory. Its resources are not checked."

rationale = <<-EOT
  aoai-lint never downloads modules and never runs `terraform init`, so a remote module's
  resources are invisible to it. A clean report must not be read as covering them. The Azure
  Verified Modules for Cognitive Services are recognized by their source and checked from their
  inputs instead; every other module that is not followed is listed once, here.
EOT

unknown_only = true

remediation {
  terraform = "Lint the module's own repository too, or vendor it into the tree and call it with a local `source = \"./modules/...\"`; silence this note with `--ignore AOAI900` once you have."
  bicep     = "Lint the module's own source too, or copy it into the tree and reference it by a relative path; silence this note with `--ignore AOAI900` once you have."
  arm       = "Lint the linked template too; silence this note with `--ignore AOAI900` once you have."
}

references {
  learn        = "https://developer.hashicorp.com/terraform/language/modules/sources"
  checkov      = []
  psrule       = []
}
