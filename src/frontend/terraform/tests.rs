//! Front-end tests: what the model says about Terraform source, with spans and origins.

use super::*;
use crate::frontend::on_half_a_worker_stack;
use crate::model::{AttrState, Existence};
use crate::source::{FileId, Span};

fn model(files: &[&str]) -> Model {
    let named: Vec<(String, &str)> = files
        .iter()
        .enumerate()
        .map(|(i, text)| (format!("f{i}.tf"), *text))
        .collect();
    let named: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    model_with(&named, &[])
}

/// A root module from (path, text) pairs, with `--var` values. Paths with a directory are the
/// files of local modules (`modules/oai/main.tf` for `source = "./modules/oai"`).
fn model_with(files: &[(&str, &str)], cli: &[(&str, &str)]) -> Model {
    let parsed = |i: usize, name: &str, text: &str| {
        ParsedFile::parse(FileId(i as u32), role_of(name), text).expect("parses")
    };
    let root: Vec<_> = files
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| !name.contains('/'))
        .map(|(i, (name, text))| parsed(i, name, text))
        .collect();
    let cli = cli
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    struct Loader<'a>(&'a [(&'a str, &'a str)]);
    impl ModuleLoader for Loader<'_> {
        fn load(&mut self, dir: &Path) -> Result<Vec<ParsedFile>, Unread> {
            let files: Vec<_> = self
                .0
                .iter()
                .enumerate()
                .filter(|(_, (name, _))| Path::new(name).parent() == Some(dir))
                .map(|(i, (name, text))| {
                    ParsedFile::parse(FileId(i as u32), role_of(name), text).expect("parses")
                })
                .collect();
            if files.is_empty() {
                return Err(Unread::NoFiles);
            }
            Ok(files)
        }
    }
    build_model(Path::new(""), root, &cli, &mut Loader(files))
}

fn text<'a>(source: &'a str, span: &Span) -> &'a str {
    &source[span.range.clone()]
}

const ACCOUNT: &str = r#"resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "Sweden Central"
}

resource "azurerm_cognitive_account" "main" {
  name                          = "oai"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  kind                          = "OpenAI"
  sku_name                      = "S0"
  public_network_access_enabled = false
  local_auth_enabled            = var.local_auth
}
"#;

#[test]
fn account_values_carry_spans_and_origins() {
    let model = model(&[ACCOUNT]);
    let [account] = model.accounts.as_slice() else {
        panic!("one account")
    };
    assert_eq!(account.declared.address, "azurerm_cognitive_account.main");
    assert_eq!(
        text(ACCOUNT, &account.declared.header),
        r#"resource "azurerm_cognitive_account" "main""#
    );

    let public = &account.public_network_access;
    assert_eq!(public.value(), Some(&false));
    assert!(matches!(public.state, AttrState::Explicit { .. }));
    assert_eq!(
        text(ACCOUNT, &public.span),
        "public_network_access_enabled = false"
    );

    // Not written: the provider default, pointing at the header.
    assert_eq!(account.inline_cmk.value(), Some(&false));
    assert!(account.inline_cmk.is_default());
    assert_eq!(account.inline_cmk.span, account.declared.header);

    let local_auth = &account.local_auth;
    assert_eq!(local_auth.value(), None);
    assert!(
        local_auth
            .unresolved_reason()
            .unwrap()
            .contains("var.local_auth")
    );
    assert_eq!(
        text(ACCOUNT, &local_auth.span),
        "local_auth_enabled            = var.local_auth"
    );

    // Resolved through the resource group's literal, normalized, with where it came from.
    let location = &account.location;
    assert_eq!(location.value().map(String::as_str), Some("swedencentral"));
    assert_eq!(
        text(ACCOUNT, &location.via().unwrap().span),
        r#"location = "Sweden Central""#
    );
    // Found by address, and by name for literal ARM resource ids.
    assert_eq!(
        account.link_keys,
        [
            "azurerm_cognitive_account.main",
            "id:microsoft.cognitiveservices/accounts/oai"
        ]
    );
}

#[test]
fn only_openai_and_ai_services_kinds_are_accounts() {
    let source = |kind: &str| ACCOUNT.replace("\"OpenAI\"", kind);
    assert_eq!(model(&[&source("\"TextAnalytics\"")]).accounts.len(), 0);
    assert_eq!(model(&[&source("\"AIServices\"")]).accounts.len(), 1);
    let unknown = model(&[&source("var.kind")]);
    assert!(
        unknown.accounts[0]
            .kind
            .unresolved_reason()
            .unwrap()
            .contains("var.kind")
    );
}

#[test]
fn count_and_for_each_decide_existence() {
    let with = |meta: &str| {
        ACCOUNT.replace(
            "  name                          = \"oai\"",
            &format!("  {meta}\n  name = \"oai\""),
        )
    };
    assert_eq!(model(&[&with("count = 0")]).accounts.len(), 0);
    assert_eq!(
        model(&[&with("count = 1 + 1")]).accounts[0]
            .declared
            .existence,
        Existence::Always
    );
    assert_eq!(model(&[&with("for_each = {}")]).accounts.len(), 0);
    let source = with("count = var.enabled ? 1 : 0") + "variable \"enabled\" {\n  type = bool\n}\n";
    let module_default =
        with("count = var.on ? 1 : 0") + "variable \"on\" {\n  default = true\n}\n";
    // A directory nobody calls is deployed with its defaults.
    assert_eq!(
        model(&[&module_default]).accounts[0].declared.existence,
        Existence::Always
    );
    let conditional = model(&[&source]);
    match &conditional.accounts[0].declared.existence {
        Existence::Conditional { reason } => {
            assert!(
                reason.starts_with("`count` depends on `var.enabled`, which has no default"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn azapi_bodies_in_both_forms() {
    let v2 = r#"resource "azapi_resource" "a" {
  type     = "Microsoft.CognitiveServices/accounts@2024-10-01"
  location = "eastus"
  body = {
    kind       = "OpenAI"
    properties = { publicNetworkAccess = "Disabled", disableLocalAuth = true }
  }
}"#;
    let v1 = r#"resource "azapi_resource" "a" {
  type     = "microsoft.cognitiveservices/accounts@${var.api}"
  location = "eastus"
  body = jsonencode({
    kind = "OpenAI"
    properties = {
      "publicNetworkAccess" = "Enabled"
    }
  })
}"#;
    let account = &model(&[v2]).accounts[0];
    assert_eq!(account.public_network_access.value(), Some(&false));
    assert_eq!(account.local_auth.value(), Some(&false));
    assert_eq!(
        text(v2, &account.public_network_access.span),
        r#"publicNetworkAccess = "Disabled""#
    );
    assert_eq!(
        account.public_network_access.name,
        "body.properties.publicNetworkAccess"
    );

    let account = &model(&[v1]).accounts[0];
    assert_eq!(account.public_network_access.value(), Some(&true));
    assert_eq!(
        text(v1, &account.public_network_access.span),
        r#""publicNetworkAccess" = "Enabled""#
    );
    // disableLocalAuth missing: ARM default false, so keys are enabled.
    assert_eq!(account.local_auth.value(), Some(&true));
    assert!(account.local_auth.is_default());

    let other = v2.replace(
        "Microsoft.CognitiveServices/accounts",
        "Microsoft.Storage/storageAccounts",
    );
    assert!(model(&[&other]).accounts.is_empty());
}

#[test]
fn related_resources_link_across_files() {
    let network = r#"resource "azurerm_private_endpoint" "pe" {
  private_service_connection {
    private_connection_resource_id = azurerm_cognitive_account.main.id
    subresource_names              = ["account"]
  }
}
resource "azurerm_role_assignment" "r" {
  scope                = azurerm_cognitive_account.main.id
  role_definition_name = "Cognitive Services OpenAI User"
}
resource "azurerm_cognitive_account_customer_managed_key" "k" {
  cognitive_account_id = azurerm_cognitive_account.main[0].id
}
resource "azurerm_cognitive_deployment" "d" {
  cognitive_account_id = azurerm_cognitive_account.main.id
  sku {
    name = "GlobalStandard"
  }
}"#;
    let model = model(&[ACCOUNT, network]);
    let target = &model.private_endpoints[0].connections[0].target;
    assert_eq!(
        target.value().map(String::as_str),
        Some("azurerm_cognitive_account.main")
    );
    assert_eq!(target.span.file, FileId(1));
    assert_eq!(
        model.private_endpoints[0].connections[0]
            .group_ids
            .value()
            .unwrap(),
        &["account"]
    );
    assert_eq!(
        model.role_assignments[0].role.value().unwrap(),
        "Cognitive Services OpenAI User"
    );
    assert_eq!(
        model.cmk_bindings[0].account.value().unwrap(),
        "azurerm_cognitive_account.main"
    );
    assert_eq!(model.deployments[0].sku.value().unwrap(), "GlobalStandard");
    let links = crate::resolve::Links::new(&model);
    assert_eq!(
        links.target(&model.role_assignments[0].scope),
        crate::resolve::Target::Account(0)
    );
}

#[test]
fn evaluation_is_exact_where_it_can_be_and_honest_where_not() {
    let account = |value: &str| {
        let source = ACCOUNT.replace("false", value);
        model(&[&source]).accounts.remove(0).public_network_access
    };
    assert_eq!(account("!true").value(), Some(&false));
    assert_eq!(account("1 + 1 == 2 && \"a\" != \"b\"").value(), Some(&true));
    assert_eq!(account("\"${1 + 1 == 3}\"").value(), Some(&false));
    assert_eq!(account("false && var.x").value(), Some(&false));
    assert_eq!(account("(true || var.x)").value(), Some(&true));
    assert!(
        account("var.x && true")
            .unresolved_reason()
            .unwrap()
            .contains("var.x")
    );
    assert!(
        account("filebase64(\"x\")")
            .unresolved_reason()
            .unwrap()
            .contains("filebase64()")
    );
    assert_eq!(account("[for x in [true] : x][0]").value(), Some(&true));
    assert!(
        account("azurerm_resource_group.rg.id")
            .unresolved_reason()
            .unwrap()
            .contains("after deployment")
    );
    assert!(
        account("azurerm_nothing.x.y")
            .unresolved_reason()
            .unwrap()
            .contains("not declared")
    );
    assert!(
        account("\"maybe\"")
            .unresolved_reason()
            .unwrap()
            .contains("expected a bool")
    );
    // `null` means unset: the provider default applies.
    assert!(account("null").is_default());
}

#[test]
fn reference_cycles_terminate() {
    let source = r#"resource "azurerm_resource_group" "a" {
  location = azurerm_resource_group.b.location
}
resource "azurerm_resource_group" "b" {
  location = azurerm_resource_group.a.location
}
resource "azurerm_cognitive_account" "main" {
  kind     = "OpenAI"
  location = azurerm_resource_group.a.location
}"#;
    let model = model(&[source]);
    assert!(
        model.accounts[0]
            .location
            .unresolved_reason()
            .unwrap()
            .contains("too deep or circular")
    );
}

#[test]
fn syntax_errors_have_offsets_and_deep_nesting_does_not_overflow() {
    fn text(text: String) -> std::sync::Arc<String> {
        std::sync::Arc::new(text)
    }
    let error = parse(&text("a = {\n  b = \n".into())).err().unwrap();
    assert!(error.offset > 0);
    on_half_a_worker_stack(|| {
        let deep = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(
            parse(&text(deep))
                .err()
                .unwrap()
                .message
                .contains("at most 256 nested levels")
        );
        let deep_ops = format!("a = {}1", "!".repeat(100_000));
        let _ = parse(&text(deep_ops));
    });
}

/// Every kind of nesting at the deepest level the parser accepts (256 levels, 1,024 chained
/// operators), parsed, evaluated and dropped: real code chains more than the 64 levels and 128
/// operators hcl-edit allows as published.
#[test]
fn nesting_up_to_the_limit_is_parsed_and_evaluated_without_overflow() {
    let n = 255;
    let nested = [
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "{a = ".repeat(n), "}".repeat(n)),
        format!("{}1{}", "max(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "\"${".repeat(n), "}\"".repeat(n)),
        format!("{}\"z\"", "var.x == 1 ? \"y\" : ".repeat(n)),
        vec!["var.x == 1"; 512].join(" || "),
    ];
    for expr in nested {
        on_half_a_worker_stack(move || {
            let text = format!(
                "variable \"x\" {{ default = 1 }}\nlocals {{ v = {expr} }}\n{}",
                ACCOUNT.replace("= false", "= local.v == 1")
            );
            assert_eq!(model(&[&text]).accounts.len(), 1, "{}", &expr[..40]);
        });
    }
}

const VARIABLES: &str = r#"provider "azurerm" {
  features {}
}
variable "public" {
  type    = bool
  default = true
}
variable "settings" {
  type = object({
    local_auth = optional(bool, false)
    region     = optional(string)
  })
  default = {}
}
variable "names" {
  type    = list(string)
  default = ["a", "b"]
}
locals {
  region  = lower("Sweden Central")
  loop_a  = local.loop_b
  loop_b  = local.loop_a
  enabled = [for n in var.names : upper(n) if n != "b"]
  both    = { for n in var.names : n => length(n) }
}
resource "azurerm_cognitive_account" "main" {
  kind                          = "OpenAI"
  location                      = local.region
  public_network_access_enabled = var.public
  local_auth_enabled            = try(var.settings.local_auth, true)
}
"#;

#[test]
fn variables_take_cli_then_tfvars_then_defaults() {
    let account =
        |files: &[(&str, &str)], cli: &[(&str, &str)]| model_with(files, cli).accounts.remove(0);
    let only_defaults = account(&[("main.tf", VARIABLES)], &[]);
    assert_eq!(only_defaults.public_network_access.value(), Some(&true));
    assert_eq!(
        text(
            VARIABLES,
            &only_defaults.public_network_access.via().unwrap().span
        ),
        "default = true"
    );
    // optional(bool, false) fills the missing attribute of the default `{}`.
    assert_eq!(only_defaults.local_auth.value(), Some(&false));
    assert_eq!(
        only_defaults.location.value().map(String::as_str),
        Some("swedencentral")
    );

    let tfvars = "public = false\n";
    let auto = "public = true\n";
    let with_tfvars = account(&[("main.tf", VARIABLES), ("terraform.tfvars", tfvars)], &[]);
    assert_eq!(with_tfvars.public_network_access.value(), Some(&false));
    // Set in terraform.tfvars: the value is there, where it is fixed, and the attribute that
    // uses it is the other place.
    let public = &with_tfvars.public_network_access;
    assert_eq!(public.span.file, FileId(1));
    let via = public.via().unwrap();
    assert_eq!(
        (via.span.file, via.label),
        (FileId(0), "the configuration uses it here")
    );
    // *.auto.tfvars load after terraform.tfvars; --var wins over both; other .tfvars are not loaded.
    let files = [
        ("main.tf", VARIABLES),
        ("terraform.tfvars", tfvars),
        ("x.auto.tfvars", auto),
        ("prod.tfvars", tfvars),
    ];
    assert_eq!(
        account(&files, &[]).public_network_access.value(),
        Some(&true)
    );
    assert_eq!(
        account(&files, &[("public", "false")])
            .public_network_access
            .value(),
        Some(&false)
    );
}

#[test]
fn locals_for_expressions_try_and_cycles() {
    let with = |value: &str| {
        let source = VARIABLES.replace(
            "public_network_access_enabled = var.public",
            &format!("public_network_access_enabled = {value}"),
        );
        model(&[&source]).accounts.remove(0).public_network_access
    };
    assert_eq!(with(r#"local.enabled == ["A"]"#).value(), Some(&true));
    assert_eq!(with(r#"local.both["b"] == 1"#).value(), Some(&true));
    assert_eq!(with(r#"var.names[*] == ["a", "b"]"#).value(), Some(&true));
    assert_eq!(
        with(r#"contains(keys(local.both), "a")"#).value(),
        Some(&true)
    );
    assert!(
        with("local.loop_a")
            .unresolved_reason()
            .unwrap()
            .contains("circular")
    );
    // `try` catches errors (a missing attribute) but never turns an unknown into its fallback.
    assert_eq!(with("try(var.settings.nope, false)").value(), Some(&false));
    assert!(
        with("try(data.x.y.z, false)")
            .unresolved_reason()
            .unwrap()
            .contains("data.x.y")
    );
    assert_eq!(with("can(var.settings.nope)").value(), Some(&false));
    assert_eq!(with("{ a = data.x.y.z } != null").value(), Some(&true));
    assert!(
        with("var.settings.nope")
            .unresolved_reason()
            .unwrap()
            .contains("fails to evaluate")
    );
}

#[test]
fn local_modules_take_their_callers_arguments_and_return_outputs() {
    let root = r#"
provider "azurerm" {}
module "chat" {
  source = "./modules/oai"
  public = false
}
resource "azurerm_private_endpoint" "pe" {
  private_service_connection {
    private_connection_resource_id = module.chat.id
    subresource_names              = ["account"]
  }
}
"#;
    let child = r#"
variable "public" {
  default = true
}
resource "azurerm_cognitive_account" "this" {
  kind                          = "OpenAI"
  public_network_access_enabled = var.public
}
output "id" {
  value = azurerm_cognitive_account.this.id
}
"#;
    let model = model_with(&[("main.tf", root), ("modules/oai/main.tf", child)], &[]);
    let account = &model.accounts[0];
    assert_eq!(
        account.declared.address,
        "module.chat.azurerm_cognitive_account.this"
    );
    assert_eq!(account.public_network_access.value(), Some(&false));
    // The primary span is the caller's argument; the attribute in the module is related.
    assert_eq!(account.public_network_access.span.file, FileId(0));
    assert_eq!(
        text(root, &account.public_network_access.span),
        "public = false"
    );
    let via = account.public_network_access.via().unwrap();
    assert_eq!(via.span.file, FileId(1));
    assert_eq!(via.label, "the module uses it here");
    // The endpoint in the root links to the account in the module through the output.
    let target = &model.private_endpoints[0].connections[0].target;
    assert!(account.link_keys.contains(target.value().unwrap()));
}

#[test]
fn instances_that_differ_are_reported_per_key() {
    let source = r#"
resource "azurerm_cognitive_account" "regional" {
  for_each                      = { weu = true, swc = false }
  kind                          = "OpenAI"
  name                          = "oai-${each.key}"
  public_network_access_enabled = each.value
}
resource "azurerm_cognitive_account" "same" {
  count                         = 2
  kind                          = "OpenAI"
  name                          = "oai-${count.index}"
  public_network_access_enabled = false
}
resource "azurerm_cognitive_account" "none" {
  count = 0
  kind  = "OpenAI"
}
"#;
    let model = model(&[source]);
    let addresses: Vec<_> = model
        .accounts
        .iter()
        .map(|a| a.declared.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            r#"azurerm_cognitive_account.regional["swc"]"#,
            r#"azurerm_cognitive_account.regional["weu"]"#,
            "azurerm_cognitive_account.same",
        ]
    );
    assert_eq!(model.accounts[1].public_network_access.value(), Some(&true));
    // One report for both copies, found by either instance's name.
    let same = &model.accounts[2];
    assert!(same.link_keys.iter().any(|k| k.ends_with("oai-0")));
    assert!(same.link_keys.iter().any(|k| k.ends_with("oai-1")));
}

#[test]
fn dynamic_blocks_stand_for_one_block_per_element() {
    let source = r#"
resource "azurerm_private_endpoint" "pe" {
  dynamic "private_service_connection" {
    for_each = { chat = "account", other = "blob" }
    iterator = target
    content {
      private_connection_resource_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/${target.key}"
      subresource_names              = [target.value]
    }
  }
}
"#;
    let model = model(&[source]);
    let connections = &model.private_endpoints[0].connections;
    assert_eq!(connections.len(), 2);
    let groups: Vec<_> = connections
        .iter()
        .map(|c| c.group_ids.value().unwrap().clone())
        .collect();
    assert_eq!(
        groups,
        [vec!["account".to_string()], vec!["blob".to_string()]]
    );
    assert_eq!(
        connections[0].target.value().map(String::as_str),
        Some("id:microsoft.cognitiveservices/accounts/chat")
    );
}

/// Terraform loads the JSON forms of its files as it loads the native ones.
#[test]
fn json_files_have_the_roles_of_their_native_twins() {
    assert_eq!(role_of("main.tf.json"), FileRole::Config);
    assert_eq!(role_of("terraform.tfvars.json"), FileRole::Values(0));
    assert_eq!(role_of("prod.auto.tfvars.json"), FileRole::Values(1));
    assert_eq!(
        role_of("prod.tfvars.json"),
        FileRole::NotLoaded("prod.tfvars.json".into())
    );
    assert_eq!(
        role_of("package.json"),
        FileRole::NotLoaded("package.json".into())
    );
}

/// AOAI018 and AOAI019 read the model a deployment serves and how it is upgraded: written
/// values where they are written, the account's default version at the `model` block.
#[test]
fn deployments_carry_their_model_and_upgrade_option() {
    let deployments = r#"resource "azurerm_cognitive_deployment" "pinned" {
  name                   = "chat"
  cognitive_account_id   = azurerm_cognitive_account.main.id
  version_upgrade_option = "NoAutoUpgrade"
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
  sku {
    name = "Standard"
  }
}

resource "azurerm_cognitive_deployment" "floating" {
  name                 = "embed"
  cognitive_account_id = azurerm_cognitive_account.main.id
  model {
    format = "OpenAI"
    name   = var.embedding_model
  }
  sku {
    name = "Standard"
  }
}
"#;
    let model = model(&[ACCOUNT, deployments]);
    let [pinned, floating] = &model.deployments[..] else {
        panic!("{:?}", model.deployments)
    };
    assert_eq!(pinned.model.format.value().unwrap(), "OpenAI");
    assert_eq!(
        text(deployments, &pinned.model.name.span),
        "name    = \"gpt-4o\""
    );
    assert_eq!(pinned.model.version.value().unwrap(), "2024-11-20");
    assert_eq!(pinned.version_upgrade.value().unwrap(), "NoAutoUpgrade");
    assert!(floating.model.name.unresolved_reason().is_some());
    let version = &floating.model.version;
    assert!(version.is_default() && version.value().unwrap().is_empty());
    assert!(text(deployments, &version.span).starts_with("model {"));
    assert_eq!(version.name, "model.version");
    let upgrade = &floating.version_upgrade;
    assert!(upgrade.is_default());
    assert_eq!(upgrade.value().unwrap(), "OnceNewDefaultVersionAvailable");
}

/// A registry module's model deployments are deployments of its account, one per entry.
#[test]
fn registry_module_deployments_are_read_per_entry() {
    let call = r#"module "openai" {
  source              = "Azure/avm-res-cognitiveservices-account/azurerm"
  name                = "oai"
  location            = "swedencentral"
  kind                = "OpenAI"
  sku_name            = "S0"
  cognitive_deployments = {
    chat = {
      name  = "chat"
      model = { format = "OpenAI", name = "gpt-4o", version = "2024-11-20" }
      scale = { type = "GlobalStandard" }
    }
    embed = {
      name                   = "embed"
      model                  = { format = "OpenAI", name = "text-embedding-3-large" }
      scale                  = { type = "Standard" }
      version_upgrade_option = "NoAutoUpgrade"
    }
  }
}
"#;
    let model = model(&[call]);
    let [chat, embed] = &model.deployments[..] else {
        panic!("{:?}", model.deployments)
    };
    assert_eq!(
        chat.declared.address,
        "module.openai.cognitive_deployments[chat]"
    );
    assert_eq!(chat.model.name.value().unwrap(), "gpt-4o");
    assert_eq!(
        chat.model.name.name,
        "cognitive_deployments[chat].model.name"
    );
    assert_eq!(chat.sku.value().unwrap(), "GlobalStandard");
    assert_eq!(embed.model.version.value().unwrap(), "");
    assert_eq!(embed.version_upgrade.value().unwrap(), "NoAutoUpgrade");
    let links = crate::resolve::Links::new(&model);
    assert_eq!(
        links.target(&chat.account),
        crate::resolve::Target::Account(0)
    );
}
