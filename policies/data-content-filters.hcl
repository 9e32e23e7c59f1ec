# Content filter (RAI) policies of Azure OpenAI: what the platform default filters, and what a
# custom policy may not weaken (AOAI016). Category and filter names are matched ignoring case,
# spaces, `_` and `-` ("SelfHarm", "selfharm", "Self Harm").
# https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter
# https://learn.microsoft.com/azure/ai-foundry/openai/how-to/content-filters

# A deployment that names no policy uses this one; policies whose names start with the built-in
# prefix are Microsoft's own (`Microsoft.Default`, `Microsoft.DefaultV2`), which filter the harm
# categories at Medium and above, block jailbreak attempts and protected material.
default_policy = "Microsoft.DefaultV2"
builtin_prefix = "Microsoft."

# The harm categories, each filtered on prompts and on completions.
harm_categories = ["Hate", "Sexual", "Violence", "SelfHarm"]

# Thresholds from the strictest: a filter blocks content at its threshold and above, so one past
# the default (Medium) lets low- and medium-severity content through.
severity_order    = ["Low", "Medium", "High"]
default_threshold = "Medium"

# Prompt shields: attacks written into prompts (Jailbreak) and into documents the model reads
# (Indirect Attack, checked where a policy declares it).
prompt_shields = ["Jailbreak", "Indirect Attack"]

# Protected material (copyrighted text, licensed code) detected in completions.
protected_material = ["Protected Material Text", "Protected Material Code"]

# Content is returned to the client before filtering finishes; harmful content is caught late.
asynchronous_mode = "Asynchronous_filter"
