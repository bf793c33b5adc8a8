//! Turns the model's HTML documentation into plain rustdoc lines.
//!
//! The conversion is deliberately small and deterministic: each block element (`<p>`, `<li>`,
//! `<br>`, headings) starts a new paragraph, `<li>` items become `- ` bullets, `<code>` becomes
//! backticks, every other tag is dropped, the common entities are decoded and runs of whitespace
//! collapse to one space.

/// Converts HTML documentation to rustdoc lines (paragraphs separated by empty lines).
pub fn html_to_lines(html: &str) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        push_text(&mut current, &rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            push_text(&mut current, &rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match name.as_str() {
            "p" | "br" | "ul" | "ol" | "div" | "h1" | "h2" | "h3" | "h4" | "dl" | "dt" | "dd"
                if current.trim() != "-" =>
            {
                flush(&mut paragraphs, &mut current);
            }
            "li" => {
                flush(&mut paragraphs, &mut current);
                if !tag.starts_with('/') {
                    current.push_str("- ");
                }
            }
            "code" => current.push('`'),
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    push_text(&mut current, rest);
    flush(&mut paragraphs, &mut current);
    let mut lines = Vec::new();
    for (i, paragraph) in paragraphs.into_iter().enumerate() {
        if i > 0
            && !(paragraph.starts_with("- ")
                && lines.last().is_some_and(|l: &String| l.starts_with("- ")))
        {
            lines.push(String::new());
        }
        lines.push(paragraph);
    }
    lines
}

fn push_text(current: &mut String, text: &str) {
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    for c in decoded.chars() {
        if c.is_whitespace() {
            if !current.is_empty() && !current.ends_with(' ') && !current.ends_with("- ") {
                current.push(' ');
            }
        } else {
            current.push(c);
        }
    }
}

fn flush(paragraphs: &mut Vec<String>, current: &mut String) {
    let text = current.trim();
    if !text.is_empty() && text != "-" && text != "``" {
        paragraphs.push(text.to_owned());
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::html_to_lines;

    #[test]
    fn paragraphs_lists_and_entities() {
        let lines = html_to_lines(
            "<p>First  line\n of text &amp; more.</p> <p>Second with <code>code</code>:</p><ul><li><p>one</p></li><li>two</li></ul>",
        );
        assert_eq!(
            lines,
            vec![
                "First line of text & more.".to_owned(),
                String::new(),
                "Second with `code`:".to_owned(),
                String::new(),
                "- one".to_owned(),
                "- two".to_owned(),
            ]
        );
    }

    #[test]
    fn plain_text_is_one_paragraph() {
        assert_eq!(html_to_lines("Just text."), vec!["Just text.".to_owned()]);
        assert!(html_to_lines("<p></p>").is_empty());
    }
}
