//! Embeds every `policies/*.hcl` file in the binary, so rule metadata and data (regions, roles)
//! stay editable text files while the binary needs nothing at run time.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=policies");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("policies");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("policies/ directory")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".hcl"))
        .collect();
    names.sort();
    let mut out = String::from(
        "/// Every file of `policies/`, as (file name, contents).\npub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        out.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/policies/{name}\"))),\n"
        ));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("policies.rs"),
        out,
    )
    .unwrap();
}
