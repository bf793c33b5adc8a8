//! Reading the file of users an action applies to: one username or user id per line, or an
//! export (CSV with a header naming `username` and/or `userId`, or JSON Lines with those keys).
//!
//! - In a plain list, a line of 1 to 10 digits is a user id and anything else a username; blank
//!   lines and lines starting with `#` are skipped.
//! - In an export, `userId` is used when filled, else `username`; the other columns describe the
//!   user and are not needed to find it.
//! - Every problem is listed with its line; a user named twice (the same id, or the same username
//!   but for ASCII case) is a problem, so nothing is counted twice.
//! - What a line cannot mean is a problem, not a user to look for: in a plain list, a quoted
//!   value, a space or a separator inside a value (an inline comment, a CSV file without its
//!   header, a file separated by semicolons); in a CSV file, a quote that never closes (it would
//!   swallow the lines after it); anywhere, a control character in a username, or a key given
//!   twice in a JSON object.

use std::collections::HashMap;
use std::path::Path;

use crate::input::excerpt::quoted;
use crate::input::source::{load, LoadError, MAX_LINE_BYTES};
use crate::input::Problem;

/// One user the file names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Line of the file (1-based).
    pub line: u64,
    pub username: Option<String>,
    pub user_id: Option<String>,
}

/// The users a file names, in file order, and what is wrong with it.
#[derive(Debug, Default)]
pub struct Targets {
    pub entries: Vec<Target>,
    pub problems: Vec<Problem>,
}

fn is_user_id(text: &str) -> bool {
    (1..=10).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// Most lines a file of users to act on may have: the users are held while the command runs,
/// so an endless input (`yes | wickr-admin users suspend -`) stops here instead of filling
/// memory.
pub const MAX_LINES: u64 = 1_000_000;

/// Most bytes such a file may have.
pub const MAX_BYTES: u64 = 256 << 20;

/// A reader that fails past [`MAX_LINES`] lines or [`MAX_BYTES`] bytes.
struct Bounded<R> {
    inner: R,
    lines: u64,
    bytes: u64,
}

impl<R: std::io::Read> std::io::Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        if self.lines > MAX_LINES || self.bytes > MAX_BYTES {
            return Err(std::io::Error::other(format!(
                "more than {MAX_LINES} lines or {} MiB: split the list into smaller files",
                MAX_BYTES >> 20
            )));
        }
        Ok(n)
    }
}

/// Reads the file (`-`: standard input).
pub fn read(path: &Path) -> Result<Targets, String> {
    let bounded = |inner| Bounded {
        inner,
        lines: 0,
        bytes: 0,
    };
    let loaded = if path.as_os_str() == "-" {
        load(bounded(
            Box::new(std::io::stdin().lock()) as Box<dyn std::io::Read>
        ))
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        load(bounded(Box::new(file)))
    };
    let bytes = match loaded {
        Ok(loaded) => loaded.bytes,
        Err(LoadError::Io(e)) => return Err(format!("cannot read {}: {e}", path.display())),
        Err(LoadError::LineTooLong(line)) => {
            return Err(format!(
                "{}: line {line} is longer than {} MiB: not a list of users",
                path.display(),
                MAX_LINE_BYTES >> 20
            ))
        }
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{}: not valid UTF-8 text", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut targets = if first.trim_start().starts_with('{') {
        json_lines(text)
    } else if first.split(',').any(|f| {
        matches!(
            f.trim().trim_matches('"').to_ascii_lowercase().as_str(),
            "username" | "userid"
        )
    }) {
        csv_file(text)
    } else {
        plain(text)
    };
    check_repeats(&mut targets);
    Ok(targets)
}

fn plain(text: &str) -> Targets {
    let mut targets = Targets::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let value = raw.trim();
        if value.is_empty() || value.starts_with('#') {
            continue;
        }
        if let Some(reason) = not_one_value(value) {
            targets.problems.push(Problem::new(line, "row", reason));
            continue;
        }
        let (username, user_id) = if is_user_id(value) {
            (None, Some(value.to_string()))
        } else {
            (Some(value.to_string()), None)
        };
        push(&mut targets, line, username, user_id);
    }
    targets
}

/// Why a line of a plain list is not one username or user id, when it is not.
fn not_one_value(value: &str) -> Option<&'static str> {
    if value.contains(',') {
        Some("has a comma: a CSV file needs a header row naming username or userId")
    } else if value.contains(';') {
        Some(
            "has a semicolon: a CSV file must be separated by commas, with a header row naming \
             username or userId",
        )
    } else if value.starts_with('"') || value.ends_with('"') {
        Some(
            "is quoted: a plain list takes each line as it is (quote values in a CSV file with a \
             header row)",
        )
    } else if value.chars().any(char::is_whitespace) {
        Some(
            "holds a space or a tab: a plain list takes one username or user id per line, and a \
             comment on a line of its own starting with # (a username with spaces goes in a CSV \
             file with a header row)",
        )
    } else {
        None
    }
}

fn csv_file(text: &str) -> Targets {
    let mut targets = Targets::default();
    if let Some(opened) = crate::input::open_quote_at_end(text.as_bytes()) {
        targets.problems.push(Problem::new(
            opened,
            "row",
            format!(
                "unterminated quoted field: the quote opened on line {opened} never closes, so \
                 the lines after it were read as one value; close the quote"
            ),
        ));
        return targets;
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            targets
                .problems
                .push(Problem::new(1, "header", format!("unreadable header: {e}")));
            return targets;
        }
    };
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (username_at, user_id_at) = (find("username"), find("userId"));
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                targets
                    .problems
                    .push(Problem::new(line, "row", format!("malformed row: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let username = field(username_at);
        // A quote counts only at the very start of a field: `, "bob"` keeps its quotes, and
        // `, "smith, bob"` is cut in two.
        if field(user_id_at).is_none()
            && username
                .as_deref()
                .is_some_and(|name| name.starts_with('"') || name.ends_with('"'))
        {
            targets.problems.push(Problem::new(
                line,
                "username",
                "is quoted after a space: a quote opens a value only as its first character; \
                 remove the space before the quote",
            ));
            continue;
        }
        push(&mut targets, line, username, field(user_id_at));
    }
    targets
}

fn json_lines(text: &str) -> Targets {
    let mut targets = Targets::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let object = match crate::input::object_members(raw) {
            Ok(Some(object)) => object,
            _ => {
                targets.problems.push(Problem::new(
                    line,
                    "row",
                    "malformed row: each line must be one JSON object",
                ));
                continue;
            }
        };
        let twice = ["username", "userId"].into_iter().find(|key| {
            object
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                .count()
                > 1
        });
        if let Some(key) = twice {
            targets
                .problems
                .push(Problem::new(line, key, "key appears twice"));
            continue;
        }
        let text_of = |key: &str| -> Result<Option<String>, ()> {
            match object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                None | Some((_, serde_json::Value::Null)) => Ok(None),
                Some((_, serde_json::Value::String(s))) if s.trim().is_empty() => Ok(None),
                Some((_, serde_json::Value::String(s))) => Ok(Some(s.trim().to_string())),
                Some(_) => Err(()),
            }
        };
        match (text_of("username"), text_of("userId")) {
            (Ok(username), Ok(user_id)) => push(&mut targets, line, username, user_id),
            (Err(()), _) => {
                targets
                    .problems
                    .push(Problem::new(line, "username", "must be a string"))
            }
            (_, Err(()), ..) => {
                targets
                    .problems
                    .push(Problem::new(line, "userId", "must be a string"))
            }
        }
    }
    targets
}

fn push(targets: &mut Targets, line: u64, username: Option<String>, user_id: Option<String>) {
    // With an id the username is not used to find the user: what it holds does not matter (an
    // export of a network with an odd name in it stays usable).
    let named_only = user_id.is_none();
    if let Some(length) = username
        .as_deref()
        .filter(|_| named_only)
        .map(str::len)
        .filter(|length| *length > crate::input::MAX_FIELD_BYTES)
    {
        // No import makes a user of that name, and looked up in a listing it would come back
        // "not found", which a deletion counts as done.
        targets.problems.push(Problem::new(
            line,
            "username",
            format!(
                "{length} bytes, more than the {} KiB a value may have",
                crate::input::MAX_FIELD_BYTES / 1024
            ),
        ));
        return;
    }
    if named_only
        && username
            .as_deref()
            .is_some_and(|name| name.chars().any(char::is_control))
    {
        targets.problems.push(Problem::new(
            line,
            "username",
            "contains a control character",
        ));
        return;
    }
    if let Some(id) = &user_id {
        if !is_user_id(id) {
            targets.problems.push(Problem::new(
                line,
                "userId",
                format!("{} is not a user id (1 to 10 digits)", quoted(id)),
            ));
            return;
        }
    }
    if username.is_none() && user_id.is_none() {
        targets.problems.push(Problem::new(
            line,
            "row",
            "names no user: fill username or userId",
        ));
        return;
    }
    targets.entries.push(Target {
        line,
        username,
        user_id,
    });
}

/// A user id as the network tells users apart: its digits without leading zeros (`01142` is
/// user 1142).
pub fn id_key(id: &str) -> &str {
    match id.trim_start_matches('0') {
        "" if !id.is_empty() => "0",
        digits => digits,
    }
}

/// Lists a user named twice as a problem on its later line.
fn check_repeats(targets: &mut Targets) {
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut names: HashMap<String, u64> = HashMap::new();
    let mut problems = Vec::new();
    for target in &targets.entries {
        let first = match (&target.user_id, &target.username) {
            (Some(id), _) => ids.get(id_key(id)).copied().or_else(|| {
                ids.insert(id_key(id).to_string(), target.line);
                None
            }),
            (None, Some(name)) => {
                let key = crate::input::username_key(name);
                names.get(&key).copied().or_else(|| {
                    names.insert(key, target.line);
                    None
                })
            }
            (None, None) => None,
        };
        if let Some(first) = first {
            problems.push(Problem::new(
                target.line,
                if target.user_id.is_some() {
                    "userId"
                } else {
                    "username"
                },
                format!("names the same user as line {first}"),
            ));
        }
    }
    targets.problems.extend(problems);
    targets.problems.sort_by_key(|p| p.line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Targets {
        // One folder per call: tests run in parallel.
        static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("wickr-admin-targets-{}-{call}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("list.txt");
        std::fs::write(&path, text).unwrap();
        let targets = read(&path).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        targets
    }

    #[test]
    fn plain_lists_take_ids_and_usernames() {
        let t = parse("# offboarding\nalice@example.com\n\n1042\n");
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.entries.len(), 2);
        assert_eq!(t.entries[0].username.as_deref(), Some("alice@example.com"));
        assert_eq!(t.entries[1].user_id.as_deref(), Some("1042"));
        assert_eq!(t.entries[1].line, 4);
    }

    #[test]
    fn exports_are_read_by_their_columns() {
        let t = parse(
            "username,firstName,lastName,securityGroupId,inviteCode,inviteCodeTtl,codeValidation,status,suspended,userId\n\
             a@example.com,A,B,SG,,,,active,false,1001\n\
             b@example.com,C,D,SG,,,,pending,false,\n",
        );
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.entries[0].user_id.as_deref(), Some("1001"));
        assert_eq!(t.entries[1].user_id, None);
        assert_eq!(t.entries[1].username.as_deref(), Some("b@example.com"));
        assert_eq!(t.entries[1].line, 3);
        let j = parse("{\"username\":\"a@example.com\",\"userId\":\"1001\"}\n{\"username\":\"b@example.com\"}\n");
        assert!(j.problems.is_empty(), "{:?}", j.problems);
        assert_eq!(j.entries.len(), 2);
    }

    /// The problems of a file, as (line, field).
    fn problems(text: &str) -> Vec<(u64, String)> {
        parse(text)
            .problems
            .into_iter()
            .map(|p| (p.line, p.field))
            .collect()
    }

    #[test]
    fn lines_that_cannot_name_one_user_are_problems_not_users_to_look_for() {
        // A quote that never closes would have swallowed the two lines after it.
        let t = parse("username\n\"a@example.com\nb@example.com\nc@example.com\n");
        assert!(t.entries.is_empty(), "{:?}", t.entries);
        assert_eq!(t.problems.len(), 1);
        assert!(t.problems[0].message.contains("line 2 never closes"));
        // A file separated by semicolons, quoted values, inline comments.
        assert_eq!(
            problems("username;userId\na@example.com;1002\n"),
            vec![(1, "row".to_string()), (2, "row".to_string())]
        );
        assert_eq!(
            problems("\"a@example.com\"\nb@example.com  # left\nc@example.com\n"),
            vec![(1, "row".to_string()), (2, "row".to_string())]
        );
        // Control characters in a username, whatever the format.
        assert_eq!(
            problems("username\n\"a\u{1b}]0;x\u{7}@example.com\"\n"),
            vec![(2, "username".to_string())]
        );
        assert_eq!(
            problems("{\"username\":\"a\\u001b[2J@example.com\"}\n"),
            vec![(1, "username".to_string())]
        );
        // A key given twice, or twice but for case, is not read as one of the two.
        assert_eq!(
            problems("{\"username\":\"a@example.com\",\"username\":\"b@example.com\"}\n"),
            vec![(1, "username".to_string())]
        );
        assert_eq!(
            problems("{\"username\":\"a@example.com\",\"USERNAME\":\"b@example.com\"}\n"),
            vec![(1, "username".to_string())]
        );
        // Quoted after a space in a CSV file: the quotes would be part of the name.
        assert_eq!(
            problems("userId,username\n, \"bob smith\"\n"),
            vec![(2, "username".to_string())]
        );
        // With an id, what the username holds does not matter.
        let t = parse("username,userId\n\"odd\u{7}name\",1002\n");
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.entries[0].user_id.as_deref(), Some("1002"));
        // A username longer than any value may be.
        let long = format!("{}@example.com\n", "x".repeat(200 * 1024));
        assert_eq!(problems(&long), vec![(1, "username".to_string())]);
        // A header whose names are quoted is a header.
        let t = parse("\"username\",\"userId\"\n\"a@example.com\",\"1002\"\n");
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.entries[0].user_id.as_deref(), Some("1002"));
    }

    #[test]
    fn an_endless_list_stops_at_the_bound() {
        let endless = std::io::repeat(b'\n');
        let mut reader = Bounded {
            inner: endless,
            lines: 0,
            bytes: 0,
        };
        match load(&mut reader) {
            Err(LoadError::Io(e)) => assert!(e.contains("split the list"), "{e}"),
            _ => panic!("an endless list must stop"),
        }
        assert!(reader.lines <= MAX_LINES + 64 * 1024);
    }

    #[test]
    fn repeats_and_bad_lines_are_problems() {
        let t = parse("alice@example.com\nALICE@example.com\n1042\n1042\na,b\n");
        let lines: Vec<(u64, &str)> = t
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(lines, vec![(2, "username"), (4, "userId"), (5, "row")]);
        let t = parse("username,userId\nx@example.com,12ab\n,\n");
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        assert_eq!(t.problems[0].field, "userId");
    }
}
