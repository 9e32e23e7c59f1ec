# The lifecycle of Azure OpenAI model versions, for AOAI019: one `model "NAME" "VERSION"` block per
# row of Microsoft Learn's tables (version "*": every version of a model retired whole). Data, not
# code: update this file from the sources below when Microsoft Learn changes, and `as_of` with it
# (a test fails a year after `as_of`, as a reminder). Verdicts never guess beyond it: a model or
# version not listed here is reported as not in the lifecycle data of `as_of`.
#
# Fields, as the tables give them:
#   status       "GA" or "preview" ("Lifecycle Status"); absent for rows of retired models;
#   deprecation  no new customers from this day ("Deprecation Date (No New Customers)");
#   retirement   deployments return errors from this day ("Retirement Date");
#   retirement_by_sku  a retirement day of some deployment types that differs from `retirement`;
#   replacement  the model the table suggests instead;
#   source, table  the source below and the table of it the row comes from.
# A date is "YYYY-MM-DD", or "no earlier than YYYY-MM-DD" when the table gives only a lower bound
# (written "No earlier than ..." or "Will not retire before ..."): the day is then not scheduled.
# Rows the tables give with "n/a" or an empty cell leave the field out.

# The newest date of the sources: the data is as of this day.
as_of = "2026-02-12"
# Deployments retiring within this many days are warned about.
retiring_soon_days = 90

# Read with the public repository index on 2026-12-07, at these commits.
source "models" {
  repository = "MicrosoftDocs/azure-ai-docs"
  path       = "articles/ai-foundry/openai/includes/retirement/models.md"
  commit     = "31c50ba110d5cae14a227ad610b537c5accbeafe"
  ms_date    = "2025-12-16"
  page       = "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements"
}

source "legacy" {
  repository = "MicrosoftDocs/azure-ai-docs"
  path       = "articles/ai-foundry/openai/concepts/legacy-models.md"
  commit     = "e5e27c16d70e01f497ec5a97feb2a6e4df31def0"
  ms_date    = "2026-02-12"
  page       = "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/legacy-models"
}

# models.md, "Default model versions": what a deployment that pins no version gets.
default_version = {
  "gpt-4o" = "2024-08-06"
}

# models.md, "Text generation".
model "gpt-5-chat" "2025-08-07" {
  status      = "preview"
  retirement  = "2026-03-01"
  replacement = "gpt-5.2-chat"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5-chat" "2025-10-03" {
  status      = "preview"
  retirement  = "2026-03-01"
  replacement = "gpt-5.2-chat"
  source      = "models"
  table       = "Text generation"
}

# Standard deployments retire on 2026-03-31 (auto-upgrades from 2026-03-09); "for other deployment
# types, including ALL Provisioned, Global Standard, and Data Zone Standard", on 2026-10-01.
model "gpt-4o" "2024-05-13" {
  status            = "GA"
  deprecation       = "2025-05-13"
  retirement        = "2026-10-01"
  retirement_by_sku = { Standard = "2026-03-31" }
  replacement       = "gpt-5.1"
  source            = "models"
  table             = "Text generation"
}

model "gpt-4o" "2024-08-06" {
  status            = "GA"
  deprecation       = "2025-08-06"
  retirement        = "2026-10-01"
  retirement_by_sku = { Standard = "2026-03-31" }
  replacement       = "gpt-5.1"
  source            = "models"
  table             = "Text generation"
}

model "gpt-4o" "2024-11-20" {
  status      = "GA"
  deprecation = "2025-11-20"
  retirement  = "2026-10-01"
  replacement = "gpt-5.1"
  source      = "models"
  table       = "Text generation"
}

model "gpt-4o-mini" "2024-07-18" {
  status            = "GA"
  deprecation       = "2025-07-18"
  retirement        = "2026-10-01"
  retirement_by_sku = { Standard = "2026-03-31" }
  replacement       = "gpt-4.1-mini"
  source            = "models"
  table             = "Text generation"
}

model "gpt-4.1" "2025-04-14" {
  status      = "GA"
  deprecation = "2026-04-14"
  retirement  = "2026-10-14"
  replacement = "gpt-5"
  source      = "models"
  table       = "Text generation"
}

model "gpt-4.1-mini" "2025-04-14" {
  status      = "GA"
  deprecation = "2026-04-14"
  retirement  = "2026-10-14"
  replacement = "gpt-5-mini"
  source      = "models"
  table       = "Text generation"
}

model "gpt-4.1-nano" "2025-04-14" {
  status      = "GA"
  deprecation = "2026-04-14"
  retirement  = "2026-10-14"
  replacement = "gpt-5-nano"
  source      = "models"
  table       = "Text generation"
}

model "computer-use-preview" "2025-03-11" {
  status     = "preview"
  retirement = "no earlier than 2026-04-14"
  source     = "models"
  table      = "Text generation"
}

model "o1" "2024-12-17" {
  status      = "GA"
  deprecation = "2025-12-17"
  retirement  = "2026-07-15"
  replacement = "o3"
  source      = "models"
  table       = "Text generation"
}

model "o1-pro" "2025-03-19" {
  status      = "GA"
  deprecation = "2026-03-19"
  retirement  = "2026-09-18"
  replacement = "o3-pro"
  source      = "models"
  table       = "Text generation"
}

model "o3-mini" "2025-01-31" {
  status      = "GA"
  deprecation = "2026-01-31"
  retirement  = "2026-08-02"
  replacement = "o4-mini"
  source      = "models"
  table       = "Text generation"
}

model "o3" "2025-04-16" {
  status      = "GA"
  deprecation = "2026-04-16"
  retirement  = "2026-10-16"
  source      = "models"
  table       = "Text generation"
}

model "o3-pro" "2025-06-10" {
  status      = "GA"
  deprecation = "2026-06-10"
  retirement  = "2026-12-10"
  source      = "models"
  table       = "Text generation"
}

model "o3-deep-research" "2025-06-26" {
  status      = "GA"
  deprecation = "2026-06-26"
  retirement  = "2026-12-26"
  source      = "models"
  table       = "Text generation"
}

model "o4-mini" "2025-04-16" {
  status      = "GA"
  deprecation = "2026-04-16"
  retirement  = "2026-10-16"
  source      = "models"
  table       = "Text generation"
}

model "codex-mini" "2025-05-16" {
  status      = "GA"
  deprecation = "2026-05-16"
  retirement  = "2026-11-15"
  source      = "models"
  table       = "Text generation"
}

model "model-router" "2025-11-18" {
  status      = "GA"
  deprecation = "2026-11-18"
  retirement  = "2027-05-20"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5-mini" "2025-08-07" {
  status      = "GA"
  deprecation = "2026-08-07"
  retirement  = "2027-02-06"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5-nano" "2025-08-07" {
  status      = "GA"
  deprecation = "2026-08-07"
  retirement  = "2027-02-06"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5-codex" "2025-09-15" {
  status      = "GA"
  deprecation = "2026-09-15"
  retirement  = "2027-03-17"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5-pro" "2025-10-06" {
  status      = "GA"
  deprecation = "2026-10-06"
  retirement  = "2027-04-07"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5.1" "2025-11-13" {
  status      = "GA"
  deprecation = "2026-11-13"
  retirement  = "2027-05-15"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5.1-codex" "2025-11-13" {
  status      = "GA"
  deprecation = "2026-11-13"
  retirement  = "2027-05-15"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5.1-codex-mini" "2025-11-13" {
  status      = "GA"
  deprecation = "2026-11-13"
  retirement  = "2027-05-15"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5.1-chat" "2025-11-13" {
  status     = "preview"
  retirement = "no earlier than 2026-03-31"
  source     = "models"
  table      = "Text generation"
}

model "gpt-5.2" "2025-12-11" {
  status      = "GA"
  deprecation = "no earlier than 2026-12-12"
  retirement  = "no earlier than 2027-05-12"
  source      = "models"
  table       = "Text generation"
}

model "gpt-5.2-chat" "2025-12-11" {
  status     = "preview"
  retirement = "no earlier than 2026-04-01"
  source     = "models"
  table      = "Text generation"
}

# models.md, "Audio".
model "gpt-4o-audio-preview" "2024-12-17" {
  status      = "preview"
  retirement  = "2026-02-02"
  replacement = "gpt-audio"
  source      = "models"
  table       = "Audio"
}

model "gpt-4o-realtime-preview" "2024-12-17" {
  status      = "preview"
  retirement  = "2026-02-02"
  replacement = "gpt-realtime"
  source      = "models"
  table       = "Audio"
}

model "gpt-4o-mini-audio-preview" "2024-12-17" {
  status     = "preview"
  retirement = "no earlier than 2026-02-28"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-mini-realtime-preview" "2024-12-17" {
  status     = "preview"
  retirement = "no earlier than 2026-02-28"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-transcribe" "2025-03-20" {
  status     = "preview"
  retirement = "no earlier than 2026-02-28"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-mini-tts" "2025-03-20" {
  status     = "preview"
  retirement = "no earlier than 2026-02-28"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-mini-transcribe" "2025-03-20" {
  status     = "preview"
  retirement = "no earlier than 2026-02-28"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-transcribe-diarize" "2025-10-15" {
  status      = "GA"
  deprecation = "2026-10-15"
  retirement  = "2027-04-16"
  source      = "models"
  table       = "Audio"
}

model "gpt-audio" "2025-08-28" {
  status      = "GA"
  deprecation = "2026-08-28"
  retirement  = "2027-02-28"
  source      = "models"
  table       = "Audio"
}

model "gpt-realtime" "2025-08-28" {
  status      = "GA"
  deprecation = "2026-08-28"
  retirement  = "2027-02-28"
  source      = "models"
  table       = "Audio"
}

model "gpt-audio-mini" "2025-10-06" {
  status      = "GA"
  deprecation = "2026-10-06"
  retirement  = "2027-04-07"
  source      = "models"
  table       = "Audio"
}

model "tts" "001" {
  status      = "GA"
  deprecation = "no earlier than 2026-02-28"
  source      = "models"
  table       = "Audio"
}

model "tts-hd" "001" {
  status      = "GA"
  deprecation = "no earlier than 2026-02-28"
  source      = "models"
  table       = "Audio"
}

model "whisper" "001" {
  status      = "GA"
  deprecation = "no earlier than 2026-06-18"
  source      = "models"
  table       = "Audio"
}

model "gpt-realtime-mini" "2025-12-15" {
  status     = "GA"
  retirement = "no earlier than 2026-12-15"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-mini-transcribe" "2025-12-15" {
  status     = "GA"
  retirement = "no earlier than 2026-12-15"
  source     = "models"
  table      = "Audio"
}

model "gpt-4o-mini-tts" "2025-12-15" {
  status     = "GA"
  retirement = "no earlier than 2026-12-15"
  source     = "models"
  table      = "Audio"
}

# models.md, "Image and video".
model "dall-e-3" "3" {
  status      = "GA"
  retirement  = "2026-02-18"
  replacement = "gpt-image-1-mini"
  source      = "models"
  table       = "Image and video"
}

model "gpt-image-1" "2025-04-15" {
  status      = "preview"
  retirement  = "no earlier than 2026-03-31"
  replacement = "gpt-image-1-mini"
  source      = "models"
  table       = "Image and video"
}

model "gpt-image-1-mini" "2025-10-06" {
  status      = "GA"
  deprecation = "2026-10-06"
  retirement  = "2027-04-07"
  source      = "models"
  table       = "Image and video"
}

model "sora" "2025-05-02" {
  status      = "preview"
  retirement  = "no earlier than 2026-02-28"
  replacement = "sora-2"
  source      = "models"
  table       = "Image and video"
}

model "gpt-image-1.5" "2025-12-16" {
  status     = "preview"
  retirement = "no earlier than 2026-12-16"
  source     = "models"
  table      = "Image and video"
}

model "sora-2" "2025-10-15" {
  status     = "preview"
  retirement = "no earlier than 2026-04-30"
  source     = "models"
  table      = "Image and video"
}

# models.md, "Embedding".
model "text-embedding-3-large" "1" {
  status     = "GA"
  retirement = "no earlier than 2027-04-15"
  source     = "models"
  table      = "Embedding"
}

model "text-embedding-3-small" "1" {
  status     = "GA"
  retirement = "no earlier than 2027-04-15"
  source     = "models"
  table      = "Embedding"
}

model "text-embedding-ada-002" "2" {
  status     = "GA"
  retirement = "no earlier than 2027-04-15"
  source     = "models"
  table      = "Embedding"
}

model "text-embedding-ada-002" "1" {
  status     = "GA"
  retirement = "no earlier than 2027-04-15"
  source     = "models"
  table      = "Embedding"
}

# legacy-models.md, "Retired models": retired, deployments return errors.
model "o1-preview" "*" {
  retirement  = "2025-07-28"
  replacement = "o1"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-4.5-preview" "*" {
  retirement  = "2025-07-14"
  replacement = "gpt-4.1 version 2025-04-14"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-4o-realtime-preview" "2024-10-01" {
  deprecation = "2025-02-25"
  retirement  = "2025-03-26"
  replacement = "gpt-4o-realtime-preview version 2024-12-17, or gpt-4o-mini-realtime-preview version 2024-12-17"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-35-turbo" "0301" {
  retirement  = "2025-02-13"
  replacement = "gpt-35-turbo version 0125, or gpt-4o-mini"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-35-turbo" "0613" {
  retirement  = "2025-02-13"
  replacement = "gpt-35-turbo version 0125, or gpt-4o-mini"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-4" "0314" {
  retirement  = "2025-06-06"
  replacement = "gpt-4o version 2024-11-20"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-4-32k" "0314" {
  retirement  = "2025-06-06"
  replacement = "gpt-4o version 2024-11-20"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-4" "0613" {
  retirement  = "2025-06-06"
  replacement = "gpt-4o version 2024-11-20"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-4-32k" "0613" {
  retirement  = "2025-06-06"
  replacement = "gpt-4o version 2024-11-20"
  source      = "legacy"
  table       = "Retired models"
}

model "gpt-35-turbo-16k" "0613" {
  retirement  = "2025-04-30"
  replacement = "gpt-4.1-mini version 2025-04-14"
  source      = "legacy"
  table       = "Retired models"
}

model "babbage-002" "*" {
  retirement = "2025-01-27"
  source     = "legacy"
  table      = "Retired models"
}

model "davinci-002" "*" {
  retirement = "2025-01-27"
  source     = "legacy"
  table      = "Retired models"
}

model "dall-e-2" "*" {
  retirement  = "2025-01-27"
  replacement = "dall-e-3"
  source      = "legacy"
  table       = "Retired models"
}

model "ada" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  source      = "legacy"
  table       = "Retired models"
}

model "babbage" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  source      = "legacy"
  table       = "Retired models"
}

model "curie" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  source      = "legacy"
  table       = "Retired models"
}

model "davinci" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  source      = "legacy"
  table       = "Retired models"
}

model "text-ada-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "text-babbage-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "text-curie-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "text-davinci-002" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "text-davinci-003" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "code-cushman-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "code-davinci-002" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "gpt-35-turbo-instruct"
  source      = "legacy"
  table       = "Retired models"
}

model "text-similarity-ada-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-similarity-babbage-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-similarity-curie-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-similarity-davinci-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-ada-doc-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-ada-query-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-babbage-doc-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-babbage-query-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-curie-doc-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-curie-query-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-davinci-doc-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "text-search-davinci-query-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "code-search-ada-code-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "code-search-ada-text-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "code-search-babbage-code-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}

model "code-search-babbage-text-001" "*" {
  deprecation = "2023-07-06"
  retirement  = "2024-06-14"
  replacement = "text-embedding-3-small"
  source      = "legacy"
  table       = "Retired models"
}
