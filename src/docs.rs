//! Documentation generated from `policies/`: one Markdown page per rule (`docs/rules/<ID>.md`)
//! and the rule table of the README. `tests/docs.rs` fails when the files are stale and
//! rewrites them with `UPDATE_DOCS=1`.

use crate::policy::{Catalog, Policy};

/// Where the README's generated rule table starts and ends.
pub const TABLE_START: &str =
    "<!-- rules:start (generated from policies/ by `UPDATE_DOCS=1 cargo test --test docs`) -->";
pub const TABLE_END: &str = "<!-- rules:end -->";

/// The page of one rule.
pub fn rule_page(policy: &Policy) -> String {
    let mut page = format!("# {} {}\n\n", policy.id, policy.name);
    page.push_str(&format!("**{}**\n\n", policy.title));
    page.push_str(&format!(
        "Level: `{}` · Category: `{}`\n\n{}\n\n",
        policy.severity.as_str(),
        policy.category,
        policy.summary
    ));
    page.push_str(&format!(
        "## Why\n\n{}\n\n## How to fix\n\n",
        policy.rationale
    ));
    for (language, fix) in fixes(policy) {
        page.push_str(&format!("- **{language}**: {fix}\n"));
    }
    page.push_str(&format!(
        "\n## References\n\n- [Documentation]({})\n",
        policy.references.learn
    ));
    for (what, items) in references(policy) {
        page.push_str(&format!("- {what}: {}\n", code_list(&items)));
    }
    page.push_str(&format!(
        "\nSuppress one finding with `# aoai-lint:ignore[{}] reason` (`//` in Bicep) on the line above it; see [suppressions and baselines](../suppressions.md).\n",
        policy.id
    ));
    page
}

/// The README's rule table, markers included.
pub fn rules_table(catalog: &Catalog) -> String {
    let mut table = format!(
        "{TABLE_START}\n| ID | name | checks | level | Checkov | PSRule |\n|---|---|---|---|---|---|\n"
    );
    for policy in &catalog.policies {
        table.push_str(&format!(
            "| [{id}](docs/rules/{id}.md) | {} | {} | {} | {} | {} |\n",
            policy.name,
            policy.title.replace('|', "\\|"),
            policy.severity.as_str(),
            policy.references.checkov.join(", "),
            policy.references.psrule.join(", "),
            id = policy.id,
        ));
    }
    table.push_str(TABLE_END);
    table
}

/// A rule's fix in each language, in the order every rendering shows them.
pub fn fixes(policy: &Policy) -> [(&'static str, &str); 3] {
    let fix = &policy.remediation;
    [
        ("Terraform", &fix.terraform),
        ("Bicep", &fix.bicep),
        ("ARM", &fix.arm),
    ]
}

/// A rule's references beside its documentation link: the Azure Policy built-in and the
/// equivalent Checkov and PSRule checks, each with its identifiers (none listed when empty).
pub fn references(policy: &Policy) -> Vec<(&'static str, Vec<String>)> {
    let refs = &policy.references;
    let azure_policy = refs
        .azure_policy
        .iter()
        .map(|guid| format!("/providers/Microsoft.Authorization/policyDefinitions/{guid}"))
        .collect();
    [
        ("Azure Policy built-in", azure_policy),
        ("Checkov", refs.checkov.clone()),
        ("PSRule for Azure", refs.psrule.clone()),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .collect()
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
