//! The JUnit report as CI tools read it: valid under the Jenkins xUnit plugin's schema and
//! Ant's (`tests/data/junit/`, with their sources), with one test case per file, rule and
//! resource.
//!
//! No XSD validator in Rust fits: the one pure-Rust crate, `xmlschema`, is a 0.0 release that
//! needs a newer Rust than this crate supports, and `libxml` binds a C library this machine
//! does not have. [`Schema`] checks what these two schemas say about structure: which elements,
//! in which order and how many times (sequences, choices, `minOccurs`/`maxOccurs`, references,
//! named types and extensions), where text may be, which attributes are allowed and which are
//! required. It does not check values against simple types (patterns, `xs:int`);
//! [`counts_and_timestamps_are_what_they_say`] checks the values that matter directly.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

mod common;
use common::*;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

type Node<'a> = roxmltree::Node<'a, 'a>;

/// The structure an XSD file allows.
struct Schema<'a> {
    root: Node<'a>,
}

/// What an element declaration allows inside the element.
enum Content<'a> {
    /// No type: anything.
    Any,
    /// A simple type: text only, no attributes.
    Text,
    Complex(Node<'a>),
}

fn is_xs(node: Node<'_>, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XS) && node.tag_name().name() == name
}

fn xs_children<'a>(node: Node<'a>, name: &'a str) -> impl Iterator<Item = Node<'a>> {
    node.children().filter(move |child| is_xs(*child, name))
}

fn xs_child<'a>(node: Node<'a>, name: &'a str) -> Option<Node<'a>> {
    xs_children(node, name).next()
}

/// `minOccurs` and `maxOccurs` of a particle.
fn occurs(particle: Node<'_>) -> (usize, usize) {
    let bound = |name: &str| match particle.attribute(name) {
        None => 1,
        Some("unbounded") => usize::MAX,
        Some(n) => n.parse().expect("an occurrence bound"),
    };
    (bound("minOccurs"), bound("maxOccurs"))
}

/// The name an element particle matches: its own, or the one it refers to.
fn element_name<'a>(particle: Node<'a>) -> &'a str {
    particle
        .attribute("name")
        .or_else(|| particle.attribute("ref"))
        .expect("an element with a name or a ref")
}

impl<'a> Schema<'a> {
    fn global(&self, kind: &str, name: &str) -> Option<Node<'a>> {
        self.root
            .children()
            .find(|c| is_xs(*c, kind) && c.attribute("name") == Some(name))
    }

    /// The declaration an element particle stands for (a `ref` names a global one).
    fn declaration(&self, particle: Node<'a>) -> Node<'a> {
        match particle.attribute("ref") {
            Some(name) => self.global("element", name).expect("a referenced element"),
            None => particle,
        }
    }

    fn content(&self, declaration: Node<'a>) -> Content<'a> {
        if let Some(named) = declaration.attribute("type") {
            if named.starts_with("xs:") || self.global("simpleType", named).is_some() {
                return Content::Text;
            }
            let complex = self.global("complexType", named).expect("a named type");
            return Content::Complex(complex);
        }
        match (
            xs_child(declaration, "complexType"),
            xs_child(declaration, "simpleType"),
        ) {
            (Some(complex), _) => Content::Complex(complex),
            (None, Some(_)) => Content::Text,
            (None, None) => Content::Any,
        }
    }

    /// The `xs:extension` of a complex type's simple or complex content, if any.
    fn extension(complex: Node<'a>) -> Option<Node<'a>> {
        ["simpleContent", "complexContent"]
            .into_iter()
            .find_map(|kind| xs_child(complex, kind))
            .and_then(|content| xs_child(content, "extension"))
    }

    /// The base complex type an extension extends, when it is one of this schema's.
    fn base(&self, complex: Node<'a>) -> Option<Node<'a>> {
        let base = Self::extension(complex)?.attribute("base")?;
        self.global("complexType", base)
    }

    /// Allowed attributes, with whether each is required: the type's, its extension's and
    /// its base type's.
    fn attributes(&self, complex: Node<'a>) -> HashMap<&'a str, bool> {
        let mut allowed: HashMap<&str, bool> = self
            .base(complex)
            .map(|base| self.attributes(base))
            .unwrap_or_default();
        let holders = std::iter::once(complex).chain(Self::extension(complex));
        for attribute in holders.flat_map(|holder| xs_children(holder, "attribute")) {
            let name = attribute.attribute("name").expect("an attribute name");
            allowed.insert(name, attribute.attribute("use") == Some("required"));
        }
        allowed
    }

    /// The content model: the base type's particles, then the type's own (or its extension's).
    fn particles(&self, complex: Node<'a>) -> Vec<Node<'a>> {
        let mut particles = self
            .base(complex)
            .map(|base| self.particles(base))
            .unwrap_or_default();
        let holders = std::iter::once(complex).chain(Self::extension(complex));
        let groups = holders.flat_map(|holder| {
            holder
                .children()
                .filter(|c| is_xs(*c, "sequence") || is_xs(*c, "choice"))
        });
        particles.extend(groups);
        particles
    }

    /// The positions in `names` where matching `particle` (with its occurrences) may end,
    /// having started at one of `starts`.
    fn ends(
        &self,
        particle: Node<'a>,
        names: &[&str],
        starts: &BTreeSet<usize>,
    ) -> BTreeSet<usize> {
        let (min, max) = occurs(particle);
        let mut reached = if min == 0 {
            starts.clone()
        } else {
            BTreeSet::new()
        };
        let mut current = starts.clone();
        // Past `names.len() + min` rounds, only rounds that consume nothing could continue.
        for round in 1..=max.min(names.len() + min + 1) {
            current = self.once(particle, names, &current);
            let before = reached.len();
            if round >= min {
                reached.extend(current.iter().copied());
            }
            if current.is_empty() || (round > min && reached.len() == before) {
                break;
            }
        }
        reached
    }

    /// [`Schema::ends`] for one occurrence.
    fn once(
        &self,
        particle: Node<'a>,
        names: &[&str],
        starts: &BTreeSet<usize>,
    ) -> BTreeSet<usize> {
        let children = particle.children().filter(|c| c.is_element());
        match particle.tag_name().name() {
            "element" => {
                let name = element_name(particle);
                let matching = starts.iter().filter(|&&at| names.get(at) == Some(&name));
                matching.map(|at| at + 1).collect()
            }
            "sequence" => children.fold(starts.clone(), |at, child| self.ends(child, names, &at)),
            "choice" => children
                .flat_map(|child| self.ends(child, names, starts))
                .collect(),
            other => panic!("xs:{other} is not supported"),
        }
    }

    /// The declaration of a child named `name` in a content model (XSD requires children of
    /// one name in one content model to have one type).
    fn child_declaration(&self, particles: &[Node<'a>], name: &str) -> Option<Node<'a>> {
        particles
            .iter()
            .find_map(|particle| match particle.tag_name().name() {
                "element" => (element_name(*particle) == name).then(|| self.declaration(*particle)),
                _ => {
                    let children: Vec<Node> =
                        particle.children().filter(|c| c.is_element()).collect();
                    self.child_declaration(&children, name)
                }
            })
    }

    /// Every way `element` breaks the schema, each with its path.
    fn problems(&self, element: Node<'a>) -> Vec<String> {
        let name = element.tag_name().name();
        let Some(declaration) = self.global("element", name) else {
            return vec![format!("<{name}> is not a root element")];
        };
        let mut problems = Vec::new();
        self.check(declaration, element, name, &mut problems);
        problems
    }

    fn check(
        &self,
        declaration: Node<'a>,
        element: Node<'a>,
        path: &str,
        problems: &mut Vec<String>,
    ) {
        let children: Vec<Node> = element.children().filter(|c| c.is_element()).collect();
        let has_text = element
            .children()
            .any(|c| c.is_text() && !c.text().unwrap_or("").trim().is_empty());
        let complex = match self.content(declaration) {
            Content::Any => return,
            Content::Text => {
                if !children.is_empty() || element.attributes().len() > 0 {
                    problems.push(format!("{path}: text only, no elements or attributes"));
                }
                return;
            }
            Content::Complex(complex) => complex,
        };
        let allowed = self.attributes(complex);
        for attribute in element.attributes() {
            if !allowed.contains_key(attribute.name()) {
                problems.push(format!(
                    "{path}: attribute `{}` is not allowed",
                    attribute.name()
                ));
            }
        }
        for (name, required) in &allowed {
            if *required && element.attribute(*name).is_none() {
                problems.push(format!("{path}: attribute `{name}` is required"));
            }
        }
        let simple = xs_child(complex, "simpleContent").is_some();
        let mixed = complex.attribute("mixed") == Some("true");
        if has_text && !simple && !mixed {
            problems.push(format!("{path}: text is not allowed"));
        }
        let particles = if simple {
            Vec::new()
        } else {
            self.particles(complex)
        };
        let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
        let ends = particles.iter().fold(BTreeSet::from([0]), |at, particle| {
            self.ends(*particle, &names, &at)
        });
        if !ends.contains(&names.len()) {
            problems.push(format!(
                "{path}: children {names:?} do not match the schema"
            ));
            return;
        }
        for (child, name) in children.iter().zip(&names) {
            let declaration = self.child_declaration(&particles, name);
            let declaration = declaration.expect("a matched child has a declaration");
            self.check(declaration, *child, &format!("{path}/{name}"), problems);
        }
    }
}

fn schema_text(file: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("tests/data/junit").join(file)).unwrap()
}

const SCHEMAS: [&str; 2] = ["jenkins-junit-10.xsd", "ant-junit.xsd"];

/// The problems of `report` under each schema, by schema.
fn validate(report: &str) -> Vec<(&'static str, Vec<String>)> {
    let document = roxmltree::Document::parse(report).expect("well-formed XML");
    SCHEMAS
        .iter()
        .map(|file| {
            let text = schema_text(file);
            let xsd = roxmltree::Document::parse(&text).unwrap();
            let schema = Schema {
                root: xsd.root_element(),
            };
            (*file, schema.problems(document.root_element()))
        })
        .filter(|(_, problems)| !problems.is_empty())
        .collect()
}

fn junit(cwd: &Path, args: &[&str]) -> String {
    let output = aoai_lint(cwd)
        .args(args)
        .args(["--format", "junit"])
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 2), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// A module two roots call, itself linted as a root too, with a failure and an unknown on
/// its account.
fn shared_module() -> tempfile::TempDir {
    let account = INSECURE.replace(
        "  sku_name",
        "  public_network_access_enabled = var.public\n  sku_name",
    );
    let module = format!("variable \"public\" {{}}\n{account}");
    let call = "module \"oai\" {\n  source = \"../../modules/oai\"\n}\n";
    tree(&[
        ("modules/oai/main.tf", &module),
        ("envs/prod/main.tf", call),
        ("envs/dev/main.tf", call),
    ])
}

#[test]
fn the_validator_rejects_what_the_schemas_reject() {
    // The report as it was: `file` and `line` on cases, a name on <testsuites>, two status
    // elements in one case, no properties, outputs, timestamp or host.
    let old = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="aoai-lint">
  <testsuite name="main.tf" tests="1" failures="1" errors="0" skipped="0">
    <testcase name="AOAI001 a" classname="AOAI001" file="main.tf" line="1">
      <failure message="m" type="error">t</failure>
      <failure message="m" type="error">t</failure>
    </testcase>
  </testsuite>
</testsuites>"#;
    let problems: HashMap<&str, Vec<String>> = validate(old).into_iter().collect();
    let jenkins = &problems["jenkins-junit-10.xsd"];
    assert!(
        jenkins.contains(&"testsuites/testsuite/testcase: attribute `file` is not allowed".into()),
        "{jenkins:?}"
    );
    assert!(
        jenkins.contains(&"testsuites/testsuite/testcase: attribute `line` is not allowed".into())
    );
    assert_eq!(jenkins.len(), 2, "{jenkins:?}");
    let ant = &problems["ant-junit.xsd"];
    for expected in [
        "testsuites: attribute `name` is not allowed",
        "testsuites/testsuite: attribute `timestamp` is required",
        "testsuites/testsuite: attribute `hostname` is required",
        "testsuites/testsuite: attribute `id` is required",
        "testsuites/testsuite: children [\"testcase\"] do not match the schema",
    ] {
        assert!(ant.contains(&expected.to_string()), "{expected}: {ant:?}");
    }
}

#[test]
fn every_report_is_valid_under_the_jenkins_and_ant_schemas() {
    let repo = Path::new(ROOT);
    let shared = shared_module();
    let reports = [
        junit(repo, &["fixtures/demo"]),
        junit(repo, &["fixtures/parse-errors"]),
        junit(repo, &["fixtures/report", "--show-suppressed"]),
        junit(shared.path(), &["."]),
        junit(shared.path(), &[".", "--per-caller"]),
        junit(shared.path(), &["envs/prod/main.tf"]),
    ];
    for report in &reports {
        assert_eq!(validate(report), [], "{report}");
    }
}

/// The cases of a report as (suite, classname, name), in order.
fn cases(report: &str) -> Vec<(String, String, String)> {
    let document = roxmltree::Document::parse(report).unwrap();
    let suites = document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"));
    suites
        .flat_map(|suite| {
            let file = suite.attribute("name").unwrap_or_default().to_string();
            let cases = suite.children().filter(|n| n.has_tag_name("testcase"));
            cases.map(move |case| {
                let get = |name| case.attribute(name).unwrap_or_default().to_string();
                (file.clone(), get("classname"), get("name"))
            })
        })
        .collect()
}

const LOCAL_AUTH: &str = "AOAI004 module.oai.azurerm_cognitive_account.main";

#[test]
fn a_module_that_several_roots_call_has_one_case_per_rule_and_resource() {
    let shared = shared_module();
    for args in [&["."][..], &[".", "--per-caller"]] {
        let report = junit(shared.path(), args);
        let cases = cases(&report);
        let unique: BTreeSet<_> = cases.iter().collect();
        assert_eq!(unique.len(), cases.len(), "{args:?}: {report}");
        // The module's failure is in its one case, not beside a passing copy.
        let document = roxmltree::Document::parse(&report).unwrap();
        let local_auth = document
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .filter(|n| n.attribute("name") == Some(LOCAL_AUTH))
            .collect::<Vec<_>>();
        assert_eq!(local_auth.len(), 1, "{args:?}: {report}");
        assert!(local_auth[0].children().any(|n| n.has_tag_name("failure")));
    }
}

#[test]
fn a_finding_is_in_the_case_of_its_own_file_when_files_share_a_resource_name() {
    // Two templates in one directory, each with an `account`: only b's keeps key auth.
    let account = |local_auth_off: bool| {
        format!(
            "resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {{\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  sku: {{ name: 'S0' }}\n  properties: {{ disableLocalAuth: {local_auth_off} }}\n}}\n"
        )
    };
    let dir = tree(&[("a.bicep", &account(true)), ("b.bicep", &account(false))]);
    let report = junit(dir.path(), &[".", "--select", "AOAI004"]);
    let document = roxmltree::Document::parse(&report).unwrap();
    let failed = |file: &str| {
        let suite = document
            .descendants()
            .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some(file))
            .unwrap();
        suite.descendants().any(|n| n.has_tag_name("failure"))
    };
    assert_eq!(
        (failed("a.bicep"), failed("b.bicep")),
        (false, true),
        "{report}"
    );
}

#[test]
fn counts_and_timestamps_are_what_they_say() {
    let shared = shared_module();
    let reports = [
        junit(shared.path(), &["."]),
        junit(Path::new(ROOT), &["fixtures/demo"]),
        junit(Path::new(ROOT), &["fixtures/report", "--show-suppressed"]),
    ];
    for report in &reports {
        suites_say_what_they_hold(report);
    }
}

fn suites_say_what_they_hold(report: &str) {
    let document = roxmltree::Document::parse(report).unwrap();
    let suites: Vec<Node> = document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert!(!suites.is_empty());
    for (id, suite) in suites.iter().enumerate() {
        let count = |status: &str| {
            suite
                .descendants()
                .filter(|n| n.has_tag_name(status))
                .count()
                .to_string()
        };
        let attribute = |name| suite.attribute(name).unwrap_or_default().to_string();
        assert_eq!(attribute("tests"), count("testcase"));
        assert_eq!(attribute("failures"), count("failure"));
        assert_eq!(attribute("errors"), count("error"));
        assert_eq!(attribute("skipped"), count("skipped"));
        assert_eq!(attribute("id"), id.to_string());
        let timestamp = attribute("timestamp");
        let shape = timestamp.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
        assert!(shape && timestamp.len() == 19, "{timestamp}");
        // Where the file and its cases are.
        let properties: Vec<(&str, &str)> = suite
            .descendants()
            .filter(|n| n.has_tag_name("property"))
            .map(|n| (n.attribute("name").unwrap(), n.attribute("value").unwrap()))
            .collect();
        let file = attribute("name");
        assert_eq!(properties[0], ("file", file.as_str()));
        assert_eq!(
            properties.len(),
            suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .count()
                + 1
        );
        assert!(
            properties[1..]
                .iter()
                .all(|(_, at)| at.starts_with(&format!("{file}:")))
        );
    }
}
