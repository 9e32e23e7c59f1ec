//! The comments of an HCL file, for inline suppressions. hcl-edit keeps comments in decor whose
//! positions it does not expose, so this small lexer finds them: it knows strings (with nested
//! `${ }` templates) and heredocs, the only places a `#` or `//` is not a comment.

use std::ops::Range;

/// Byte ranges of the `#`, `//` and `/* */` comments of `text`, in order.
pub fn comments(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // Open template interpolations inside strings: each entry is the brace depth at which the
    // `${` opened, so a `}` at that depth returns to the string.
    let mut templates: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                    templates.push(depth);
                    depth += 1;
                    in_string = false;
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if templates.last() == Some(&depth) {
                    templates.pop();
                    in_string = true;
                }
            }
            b'#' => {
                let end = line_end(bytes, i);
                found.push(i..end);
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = line_end(bytes, i);
                found.push(i..end);
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                found.push(i..end);
                i = end;
                continue;
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                if let Some(end) = heredoc_end(text, i) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// `<<EOT` or `<<-EOT` at `start`: the offset just past the closing marker line.
fn heredoc_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let marker: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if marker.is_empty() {
        return None;
    }
    let body_start = start + text[start..].find('\n')? + 1;
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        offset += line.len();
        if line.trim() == marker {
            return Some(offset);
        }
    }
    Some(text.len())
}

#[cfg(test)]
mod tests {
    use super::comments;

    fn texts(source: &str) -> Vec<&str> {
        comments(source).into_iter().map(|r| &source[r]).collect()
    }

    #[test]
    fn comments_outside_strings_and_heredocs() {
        let source = r#"# top
resource "a" "b" { // inside
  name = "x # not ${var.y} // not"  # after
  tpl  = "${ {a = "}"}["a"] } # still not"
  doc  = <<-EOT
    # not a comment
    EOT
  /* block
     comment */ x = 1
}
"#;
        assert_eq!(
            texts(source),
            ["# top", "// inside", "# after", "/* block\n     comment */"]
        );
    }
}
