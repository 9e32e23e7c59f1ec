//! Messages say what a reader needs: what is wrong in their words, not the evaluator's.

mod common;
use common::*;

/// The messages of the findings of `rule` when linting `files`.
fn messages(files: &[(&str, &str)], rule: &str) -> Vec<String> {
    let dir = tree(files);
    let output = aoai_lint(dir.path())
        .args([".", "--format", "json", "--select", rule])
        .output()
        .unwrap();
    findings_of(&output)
        .iter()
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn an_empty_location_says_it_is_empty() {
    let account = INSECURE.replace("\"swedencentral\"", "\"\"");
    let found = messages(&[("main.tf", &account)], "AOAI005");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`location` is empty"), "{found:?}");
    let bicep = "resource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: ''\n  kind: 'OpenAI'\n  sku: { name: 'S0' }\n  properties: {}\n}\n";
    let found = messages(&[("main.bicep", bicep)], "AOAI005");
    assert!(found.iter().any(|m| m.contains("is empty")), "{found:?}");
}

#[test]
fn a_list_with_an_unknown_element_says_so_not_a_type_error() {
    let endpoint = format!(
        "variable \"sub\" {{\n  type = string\n}}\n{}",
        private_endpoint("pe", "[var.sub]")
    );
    let found = messages(&[("main.tf", INSECURE), ("pe.tf", &endpoint)], "AOAI002");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .contains("is a list of one element whose value is not known: depends on `var.sub`"),
        "{found:?}"
    );
    assert!(!found[0].contains("expected a list"), "{found:?}");
}

/// A parameter without a value is set where this deployment sets its parameters.
#[test]
fn a_missing_parameter_is_set_where_the_project_sets_parameters() {
    let template = "param location string\n\nresource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: location\n  kind: 'OpenAI'\n  sku: { name: 'S0' }\n  properties: {}\n}\n";
    let json = r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {} }"#;
    let bicepparam = "using 'main.bicep'\n";
    let cases = [
        (
            vec![("main.bicep", template)],
            "in a .bicepparam or parameters JSON file",
        ),
        (
            vec![("main.bicep", template), ("main.parameters.json", json)],
            "in the template's parameters JSON file",
        ),
        (
            vec![("main.bicep", template), ("prod.bicepparam", bicepparam)],
            "in `prod.bicepparam`",
        ),
    ];
    for (files, where_set) in cases {
        let found = messages(&files, "AOAI005");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains(&format!("(set it {where_set})")),
            "{found:?}"
        );
    }
}

/// A value file Terraform does not load by itself is named where the value it sets is missing.
#[test]
fn a_value_file_terraform_does_not_load_is_named_with_its_flag() {
    let account = INSECURE.replace("\"swedencentral\"", "var.location");
    let variable = "variable \"location\" {\n  type = string\n}\n";
    let files = [
        ("main.tf", account.as_str()),
        ("variables.tf", variable),
        ("prod.tfvars", "location = \"swedencentral\"\n"),
    ];
    let found = messages(&files, "AOAI005");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`prod.tfvars` sets it") && found[0].contains("--var-file prod.tfvars"),
        "{found:?}"
    );
}

/// A module deployed for an Azure OpenAI account and for a Form Recognizer one exposes an
/// OpenAI key only for the first: one finding, named for that caller.
#[test]
fn a_key_is_exposed_only_where_the_callers_account_serves_openai() {
    let module = "param name string\nparam kind string\n\nresource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: name\n  location: 'swedencentral'\n  kind: kind\n  sku: { name: 'S0' }\n  properties: { customSubDomainName: name }\n}\n\noutput key string = account.listKeys().key1\n";
    let main = "module openai 'core/cog.bicep' = {\n  name: 'openai'\n  params: { name: 'oai', kind: 'OpenAI' }\n}\nmodule forms 'core/cog.bicep' = {\n  name: 'forms'\n  params: { name: 'forms', kind: 'FormRecognizer' }\n}\n";
    let dir = tree(&[("main.bicep", main), ("core/cog.bicep", module)]);
    let output = aoai_lint(dir.path())
        .args([".", "--format", "json", "--select", "AOAI015"])
        .output()
        .unwrap();
    let found = findings_of(&output);
    let resources: Vec<&str> = found
        .iter()
        .filter_map(|f| f["resource"].as_str())
        .collect();
    assert_eq!(resources, ["module.openai.output.key"], "{found:?}");
    assert!(
        found[0]["also"].is_null() || found[0]["also"] == Value::Array(vec![]),
        "{found:?}"
    );
}

/// A value that negates a default says so, not "the default of" a variable whose default is
/// the opposite.
#[test]
fn a_negated_default_says_it_is_negated() {
    let module = r#"variable "disable_local_auth" {
  type    = bool
  default = false
}
resource "azurerm_cognitive_account" "main" {
  name                  = "oai"
  location              = "swedencentral"
  resource_group_name   = "rg"
  kind                  = "OpenAI"
  sku_name              = "S0"
  custom_subdomain_name = "oai"
  local_auth_enabled    = !var.disable_local_auth
}
"#;
    let found = messages(&[("main.tf", module)], "AOAI004");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("is true (the negation of `var.disable_local_auth`'s default"),
        "{found:?}"
    );
}

/// A hub names the projects it covers, also one that reaches it through an `existing` hub in
/// another module, named by the hub module's output (issue 31).
#[test]
fn a_hub_names_the_projects_it_covers_across_modules() {
    let main = "param hubName string\nmodule hub 'ai/hub.bicep' = {\n  name: 'hub'\n  params: { name: hubName }\n}\nmodule project 'ai/project.bicep' = {\n  name: 'project'\n  params: { hubName: hub.outputs.name }\n}\n";
    let hub = "param name string\nresource hub 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: name\n  location: 'eastus'\n  kind: 'Hub'\n}\noutput name string = hub.name\n";
    let project = "param hubName string\nresource project 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'proj'\n  location: 'eastus'\n  kind: 'Project'\n  properties: { hubResourceId: hub.id }\n}\nresource hub 'Microsoft.MachineLearningServices/workspaces@2024-10-01' existing = {\n  name: hubName\n}\n";
    let files = [
        ("main.bicep", main),
        ("ai/hub.bicep", hub),
        ("ai/project.bicep", project),
    ];
    let found = messages(&files, "AOAI020");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("; its project `module.project.project` shares it"),
        "{found:?}"
    );
}

/// A hub's outbound rules, on it and declared on their own, are listed (issue 31).
#[test]
fn a_hub_open_to_the_internet_lists_its_outbound_rules() {
    let hub = "resource hub 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'hub'\n  location: 'eastus'\n  kind: 'Hub'\n  properties: {\n    managedNetwork: {\n      isolationMode: 'AllowInternetOutbound'\n      outboundRules: {\n        search: { type: 'FQDN', destination: 'search.example.com' }\n      }\n    }\n  }\n}\nresource pypi 'Microsoft.MachineLearningServices/workspaces/outboundRules@2024-10-01' = {\n  parent: hub\n  name: 'pypi'\n  properties: { type: 'FQDN', destination: 'pypi.org' }\n}\n";
    let found = messages(&[("main.bicep", hub)], "AOAI021");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("its outbound rules (search: search.example.com, pypi: pypi.org)"),
        "{found:?}"
    );
}
