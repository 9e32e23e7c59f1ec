id       = "AOAI901"
name     = "invalid-suppression"
title    = "A suppression comment that does not do what it says"
severity = "warning"
category = "hygiene"
# Reported by the engine from comments, not by a rule over the model.
engine   = true

summary = "An `aoai-lint:ignore` comment without a reason, naming an unknown rule, past its `exp:` date or with an `exp:` that is not a real `YYYY-MM-DD` date, not written `aoai-lint:ignore[RULE] reason`, or that suppresses nothing."

rationale = <<-EOT
  A suppression is a decision someone will have to revisit: without a reason nobody can, one
  that names a rule that does not exist hides nothing while looking like it does, one past its
  expiry date has stopped working (the finding is back), one whose expiry is not a real date
  would never expire, one mistyped (`aoai-lint:ignore AOAI001` without the brackets) was never
  read, and one that suppresses nothing is left over from code that changed. Each is reported so suppressions stay few and true.
EOT

remediation {
  terraform = "Write `# aoai-lint:ignore[AOAI001] why this is acceptable` on the line above the resource or attribute (or inside its block), with a rule ID or name that exists; renew or remove expired ones (`exp:YYYY-MM-DD`); delete suppressions that no longer match a finding."
  bicep     = "Write `// aoai-lint:ignore[AOAI001] why this is acceptable` on the line above the resource or property (or inside its body), with a rule ID or name that exists; renew or remove expired ones (`exp:YYYY-MM-DD`); delete suppressions that no longer match a finding."
  arm       = "ARM templates have no suppression comments: use `--ignore`, a baseline or the rule settings in `.aoai-lint.hcl`."
}

references {
  learn   = "https://github.com/aoai-lint/aoai-lint#suppressions"
  checkov = []
  psrule  = []
}
