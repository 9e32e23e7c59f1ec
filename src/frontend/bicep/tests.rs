use super::parse;
use super::syntax::*;

fn single(src: &str) -> Statement {
    let mut program = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    assert_eq!(program.statements.len(), 1, "{src}");
    program.statements.remove(0)
}

fn value(src: &str) -> Expr {
    match single(&format!("var x = {src}")).kind {
        StatementKind::Var { value, .. } => value,
        other => panic!("{other:?}"),
    }
}

#[test]
fn strings_escape_and_interpolate() {
    let expr = value(r"'a\'b\n${name}-${1 + 2}\u{41}'");
    let ExprKind::String(parts) = expr.kind else {
        panic!()
    };
    assert_eq!(parts.len(), 5);
    assert_eq!(parts[0], StringPart::Literal("a'b\n".into()));
    assert!(
        matches!(&parts[1], StringPart::Interpolation(Expr { kind: ExprKind::Ident(n), .. }) if n == "name")
    );
    assert_eq!(parts[2], StringPart::Literal("-".into()));
    assert_eq!(parts[4], StringPart::Literal("A".into()));
    let nested = value("'${'in${'ner'}'}'");
    assert!(matches!(nested.kind, ExprKind::String(_)));
    // A UTF-16 surrogate pair written as two escapes is one character.
    let pair = value(r"'\u{D801}\u{DC37}'");
    assert!(
        matches!(&pair.kind, ExprKind::String(parts) if parts == &[StringPart::Literal("\u{10437}".into())])
    );
    assert!(crate::frontend::bicep::parse(r"var s = '\u{D801}x'").is_err());
}

#[test]
fn multiline_strings_are_verbatim_and_may_interpolate() {
    assert_eq!(
        value("'''\nline ${x}\n'''").as_literal_str().unwrap(),
        "line ${x}\n"
    );
    let ExprKind::String(parts) = value("$'''a${x}b'''").kind else {
        panic!()
    };
    assert_eq!(parts.len(), 3);
    // With `$$`, only `$${` interpolates: `${x}` stays text.
    let ExprKind::String(parts) = value("$$'''a${x}$${y}'''").kind else {
        panic!()
    };
    assert_eq!(parts[0], StringPart::Literal("a${x}".into()));
    assert_eq!(parts.len(), 2);
}

#[test]
fn resources_with_header_spans_conditions_loops_and_children() {
    let src = "resource acct 'Microsoft.CognitiveServices/accounts@2024-10-01' = if (deploy) {\n  name: 'x'\n  resource dep 'deployments' = {\n    name: 'gpt'\n  }\n}\n";
    let statement = single(src);
    assert_eq!(
        &src[statement.header.clone()],
        "resource acct 'Microsoft.CognitiveServices/accounts@2024-10-01'"
    );
    let StatementKind::Resource(resource) = statement.kind else {
        panic!()
    };
    let ExprKind::If { body, .. } = &resource.value.kind else {
        panic!()
    };
    let ExprKind::Object(items) = &body.kind else {
        panic!()
    };
    assert!(matches!(items[1], ObjectItem::Resource(_)));
    let looped = single(
        "resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = [for (a, i) in accounts: {\n  name: 'pe-${i}'\n}]",
    );
    let StatementKind::Resource(resource) = looped.kind else {
        panic!()
    };
    assert!(matches!(
        &resource.value.kind,
        ExprKind::For(for_loop) if for_loop.index.is_some()
    ));
    let existing = single(
        "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: kvName\n}",
    );
    assert!(matches!(existing.kind, StatementKind::Resource(r) if r.existing));
}

#[test]
fn newlines_separate_items_but_operators_continue_lines() {
    let ExprKind::Array(items) = value("[\n  1\n  -2\n  (3)\n]").kind else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    let ExprKind::Array(items) = value("[1, 2, 3]").kind else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    assert!(matches!(
        value("a\n  ? b\n  : c").kind,
        ExprKind::Ternary { .. }
    ));
    assert!(matches!(
        value("a &&\n  b").kind,
        ExprKind::Binary {
            op: BinaryOp::And,
            ..
        }
    ));
    assert!(matches!(
        value("a\n  || b").kind,
        ExprKind::Binary {
            op: BinaryOp::Or,
            ..
        }
    ));
    assert!(matches!(value("a\n  .b").kind, ExprKind::Member { .. }));
    let object = value("{\n  a: 1\n  b: x ?? 'y'\n  'c d': true\n  ...rest\n}");
    assert_eq!(object.properties().count(), 3);
    assert!(object.property("c d").is_some());
}

#[test]
fn modern_syntax() {
    let program = parse(
        "targetScope = 'subscription'\n\
         metadata name = 'x'\n\
         import { a, b as c } from 'types.bicep'\n\
         import * as types from 'types.bicep'\n\
         extension microsoftGraphV1\n\
         @export()\n\
         type t = {\n  @description('d')\n  name: string?\n  *: int\n  kind: ('a' | 'b')[]\n}\n\
         type u =\n  | 'x'\n  | 'y'\n\
         type r = resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.properties\n\
         @minValue(1)\n\
         param count int = 1\n\
         param typed resourceOutput<'Microsoft.Web/sites@2022-09-01'>.properties?\n\
         var typedVar bool = !empty(x.?y[?0]!)\n\
         func add(a int, b int) int => a + b\n\
         var l = map(xs, x => x.name)\n\
         var l2 = reduce(xs, 0, (acc, x) => acc + x)\n\
         var parent = a::b.c\n\
         var last = xs[^1]\n\
         output o string = sys.concat('a', 'b')\n\
         #disable-next-line no-unused-params\n\
         module m 'br/public:avm/res/x:1.0.0' = {\n  name: 'm'\n  params: { a: 1, b: 2 }\n}\n",
    )
    .unwrap();
    assert_eq!(program.statements.len(), 18);
}

#[test]
fn bicepparam_files() {
    let program = parse("using './main.bicep'\n\nparam location = 'swedencentral'\nparam tags = {\n  env: 'prod'\n}\n").unwrap();
    assert!(matches!(
        &program.statements[0].kind,
        StatementKind::Using { path: Some(_) }
    ));
    assert!(
        matches!(&program.statements[1].kind, StatementKind::Param { name, default: Some(_), .. } if name == "location")
    );
    assert!(parse("using none\n").is_ok());
}

#[test]
fn comments_and_directives_are_kept_once_in_order() {
    let src =
        "// a\nparam x string // b\n#disable-next-line no-unused-vars\nvar y = [\n  /* c */ 1\n]\n";
    let program = parse(src).unwrap();
    let texts: Vec<&str> = program
        .comments
        .iter()
        .map(|span| &src[span.clone()])
        .collect();
    assert_eq!(
        texts,
        [
            "// a",
            "// b",
            "#disable-next-line no-unused-vars",
            "/* c */"
        ]
    );
}

#[test]
fn crlf_and_bom() {
    let program = parse("\u{feff}param a string\r\nparam b int = 1\r\n").unwrap();
    assert_eq!(program.statements.len(), 2);
}

#[test]
fn errors_have_offsets_and_never_panic() {
    let error = parse("param a string\nvar x = {\n  a: \n}\n").unwrap_err();
    // The value may start on the next line, so the error is at the `}` found there.
    assert_eq!(error.offset, "param a string\nvar x = {\n  a: \n".len());
    assert!(
        error.message.starts_with("expected an expression"),
        "{}",
        error.message
    );
    assert!(parse("var x = 'unterminated").is_err());
    assert!(parse("var x = '''never closed").is_err());
    assert!(parse("/* open").is_err());
    assert!(parse("var x = 1 var y = 2").is_err());
    assert!(parse("var x = 99999999999999999999").is_err());
    assert!(parse("var x = 'é").is_err());
    assert!(parse("vår x = 1").is_err());
    crate::frontend::on_half_a_worker_stack(|| {
        let deep = format!("var x = {}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
        let deep_unary = format!("var x = {}true", "!".repeat(100_000));
        assert!(parse(&deep_unary).is_err());
        let deep_parens = format!("var x = {}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(parse(&deep_parens).is_err());
        let long_chain = format!("var x = {}", vec!["a"; 100_000].join(" || "));
        let error = parse(&long_chain).unwrap_err();
        assert_eq!(error.message, "more than 1024 chained binary operators");
        // At the operator past the limit.
        assert_eq!(
            error.offset,
            "var x = ".len() + 1024 * "a || ".len() + "a ".len()
        );
    });
}

/// Every kind of nesting at the deepest level the parser accepts, parsed, evaluated and
/// dropped with room to spare; 70 chained conditionals and 129 `||` operands are real code.
#[test]
fn nesting_up_to_the_limit_is_parsed_and_evaluated_without_overflow() {
    let nested: [fn(usize) -> String; 7] = [
        |n| format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        |n| format!("{}1{}", "{\n a: ".repeat(n), "}".repeat(n)),
        |n| format!("{}1{}", "max(".repeat(n), ")".repeat(n)),
        |n| format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        |n| format!("{}1{}", "'${".repeat(n), "}'".repeat(n)),
        |n| format!("{}'z'", "tier == 1 ? 'y' : ".repeat(n)),
        |n| vec!["tier == 1"; n * 4].join(" || "),
    ];
    let source = |expr: &str| {
        format!(
            "param tier int = 1\nvar v = {expr}\nresource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {{\n  name: 'a'\n  kind: 'OpenAI'\n  properties: {{ publicNetworkAccess: v == 1 ? 'Enabled' : 'Disabled' }}\n}}\n"
        )
    };
    for nest in nested {
        crate::frontend::on_half_a_worker_stack(move || {
            let deepest = (1..=256)
                .rev()
                .find_map(|n| parse(&source(&nest(n))).ok().map(|program| (n, program)));
            let (levels, program) = deepest.expect("parses at some depth");
            assert!(levels >= 100, "{}: only {levels} levels", nest(1));
            let file = super::BicepFile {
                id: crate::source::FileId(0),
                path: "main.bicep".into(),
                program: program.into(),
                module_only: false,
                contents: Default::default(),
            };
            assert_eq!(
                super::build_model(&[file], &Default::default())
                    .accounts
                    .len(),
                1
            );
        });
    }
}

/// Found by the fuzzer: a resource named after its own id used to recurse without bound.
#[test]
fn self_referential_names_terminate() {
    let src = "resource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: guid(a.id)\n  kind: 'OpenAI'\n}\nvar v = v\nresource b 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: '${b.id}-x'\n  location: v\n  kind: 'OpenAI'\n}\n";
    let program = parse(src).unwrap();
    let file = super::BicepFile {
        id: crate::source::FileId(0),
        path: "main.bicep".into(),
        program: program.into(),
        module_only: false,
        contents: Default::default(),
    };
    let model = super::build_model(&[file], &Default::default());
    assert_eq!(model.accounts.len(), 2);
    assert!(
        model.accounts[1]
            .location
            .unresolved_reason()
            .unwrap()
            .contains("circular")
    );
}
