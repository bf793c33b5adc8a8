//! Tests of reading and checking users files.

use super::*;

fn defaults() -> Defaults {
    Defaults {
        security_group_id: Some("SG000001".into()),
    }
}

#[test]
fn csv_rows_are_read_with_line_numbers() {
    let text =
        "username,firstName,lastName,securityGroupId,inviteCode,inviteCodeTtl,codeValidation\n\
                a@example.com,Ann,Lee,,,,\n\
                \n\
                b@example.com,\"Bo\nB\",Ray,SGX,CODE1,7,true\n";
    let input = parse(text, Format::Csv, &defaults());
    assert!(input.file_problems.is_empty(), "{:?}", input.file_problems);
    let rows: Vec<&Row> = input.valid_rows().collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].security_group_id.as_deref(), Some("SG000001"));
    assert_eq!(rows[1].line, 4);
    assert_eq!(rows[1].first_name.as_deref(), Some("Bo\nB"));
    assert_eq!(rows[1].invite_code_ttl, Some(7));
    assert_eq!(rows[1].code_validation, Some(true));
    assert_eq!(rows[1].security_group_id.as_deref(), Some("SGX"));
}

#[test]
fn every_problem_is_listed_with_line_and_field() {
    let text = "username,firstName,inviteCodeTtl,codeValidation\n\
                a@example.com,Ann,x,maybe\n\
                ,Bob,,\n\
                a@example.com,Cy,,\n\
                c@example.com,Dee\n";
    let input = parse(text, Format::Csv, &defaults());
    let problems: Vec<(u64, &str)> = input
        .problems()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(
        problems,
        vec![
            (2, "inviteCodeTtl"),
            (2, "codeValidation"),
            (3, "username"),
            (4, "username"),
            (5, "row"),
        ]
    );
    assert_eq!(input.valid_rows().count(), 0);
    for p in input.problems() {
        assert!(!p.message.contains("Ann") && !p.message.contains("Bob"));
    }
}

#[test]
fn unknown_columns_are_an_error() {
    let input = parse("username,email\na,b\n", Format::Csv, &defaults());
    assert_eq!(input.file_problems.len(), 1);
    assert_eq!(input.file_problems[0].field, "email");
    assert!(input.entries.is_empty());
}

#[test]
fn json_lines_are_read_and_checked() {
    let text =
        "{\"username\":\"a\",\"firstName\":\"Ann\",\"inviteCodeTtl\":3,\"codeValidation\":false}\n\
                \n\
                {\"username\":\"b\",\"nickname\":\"x\"}\n\
                not json\n\
                {\"firstName\":\"Zed\"}\n";
    let input = parse(text, Format::JsonLines, &defaults());
    let rows: Vec<&Row> = input.valid_rows().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].invite_code_ttl, Some(3));
    assert_eq!(rows[0].code_validation, Some(false));
    let problems: Vec<(u64, &str)> = input
        .problems()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(problems, vec![(3, "nickname"), (4, "row"), (5, "username")]);
}

#[test]
fn json_lines_keys_given_twice_are_a_problem_and_other_values_are_not_rows() {
    let text = "{\"username\":\"a\",\"firstName\":\"Ann\",\"firstName\":\"Anne\"}\n\
                [1, {\"username\": \"b\"}]\n\
                \"c\"\n\
                {\"username\":\"d\",\"firstName\":\"\",\"firstName\":\"Dee\"}\n\
                {\"username\":\"e\",\"lastName\":\"Eve\",\"lastName\":null}\n";
    let input = parse(text, Format::JsonLines, &defaults());
    let problems: Vec<(u64, &str, &str)> = input
        .problems()
        .map(|p| (p.line, p.field.as_str(), p.message.as_str()))
        .collect();
    let malformed = "malformed row: each line must be one JSON object";
    assert_eq!(
        problems,
        vec![
            (1, "firstName", "key appears twice"),
            (2, "row", malformed),
            (3, "row", malformed),
            (4, "firstName", "key appears twice"),
            (5, "lastName", "key appears twice"),
        ]
    );
    assert_eq!(input.valid_rows().count(), 0);
}

#[test]
fn missing_security_group_without_default_is_a_problem() {
    let input = parse("username\na\n", Format::Csv, &Defaults::default());
    let problems: Vec<&Problem> = input.problems().collect();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "securityGroupId");
}

#[test]
fn network_ids_are_checked() {
    assert!(check_network_id("12345678").is_none());
    assert!(check_network_id("1234567").is_some());
    assert!(check_network_id("1234567a").is_some());
}

#[test]
fn row_debug_hides_names() {
    let row = Row {
        username: "u".into(),
        first_name: Some("Secretfirst".into()),
        last_name: Some("Secretlast".into()),
        ..Row::default()
    };
    let shown = format!("{row:?}");
    assert!(!shown.contains("Secretfirst") && !shown.contains("Secretlast"));
}

#[test]
fn json_values_of_the_wrong_type_are_row_problems() {
    let text = "{\"username\":5}\n\
                {\"username\":true}\n\
                {\"username\":\"ok@example.com\",\"firstName\":7}\n\
                {\"username\":\"t@example.com\",\"inviteCodeTtl\":\"7\"}\n\
                {\"username\":\"b@example.com\",\"codeValidation\":\"yes\"}\n\
                {\"username\":\"n@example.com\",\"inviteCodeTtl\":7,\"codeValidation\":true}\n";
    let input = parse(text, Format::JsonLines, &defaults());
    let problems: Vec<(u64, &str, &str)> = input
        .problems()
        .map(|p| (p.line, p.field.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        vec![
            (1, "username", "must be a string, not a number"),
            (2, "username", "must be a string, not a boolean"),
            (3, "firstName", "must be a string, not a number"),
            (4, "inviteCodeTtl", "must be a whole number, not a string"),
            (5, "codeValidation", "must be true or false, not a string"),
        ]
    );
    let rows: Vec<&Row> = input.valid_rows().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].invite_code_ttl, Some(7));
}

#[test]
fn an_unterminated_quote_is_reported_where_it_opens() {
    let text = "username,firstName\n\
                a@example.com,Ann\n\
                b@example.com,\"Bo\n\
                c@example.com,Cy\n\
                d@example.com,Dee\n";
    let input = parse(text, Format::Csv, &defaults());
    let problems: Vec<&Problem> = input.problems().collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 3);
    assert_eq!(problems[0].field, "row");
    assert!(
        problems[0]
            .message
            .contains("unterminated quoted field: the quote opened on line 3 never closes"),
        "{}",
        problems[0].message
    );
    assert!(
        problems[0].message.contains("lines 3 to 5"),
        "{}",
        problems[0].message
    );
    assert_eq!(input.valid_rows().count(), 1);
    // The last line is the one the file's last byte is on, with or without a final line break.
    for (end, last) in [("", 5), ("\n", 5), ("\n\n  ", 7), ("\n\n", 6)] {
        let text = format!("{}{end}", text.trim_end_matches('\n'));
        let input = parse(&text, Format::Csv, &defaults());
        let problems: Vec<&Problem> = input.problems().collect();
        let expected = format!("lines 3 to {last} were read");
        assert!(
            problems[0].message.contains(&expected),
            "{end:?}: {problems:?}"
        );
    }
}

#[test]
fn long_values_are_refused_and_never_repeated_in_full() {
    let long_column = "c".repeat(10_000_000);
    let input = parse(
        &format!("username,{long_column}\na@example.com,x\n"),
        Format::Csv,
        &defaults(),
    );
    let shown: usize = input
        .problems()
        .map(|p| p.field.len() + p.message.len())
        .sum();
    assert!(
        shown < 500,
        "messages repeat the column name: {shown} bytes"
    );

    let long_name = "n".repeat(row::MAX_FIELD_BYTES + 1);
    let input = parse(
        &format!("username,firstName\na@example.com,{long_name}\n"),
        Format::Csv,
        &defaults(),
    );
    let problems: Vec<&Problem> = input.problems().collect();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].field.as_str()),
        (2, "firstName")
    );
    assert!(
        problems[0].message.contains("64 KiB"),
        "{}",
        problems[0].message
    );

    let long_ttl = "9".repeat(5_000);
    let input = parse(
        &format!("username,inviteCodeTtl\na@example.com,{long_ttl}\n"),
        Format::Csv,
        &defaults(),
    );
    let message = &input.problems().next().unwrap().message;
    assert!(message.len() < 200, "{message}");
}

#[test]
fn a_header_only_file_has_no_rows_and_no_problems() {
    let input = parse("username,firstName\n", Format::Csv, &defaults());
    assert!(input.entries.is_empty());
    assert_eq!(input.problems().count(), 0);
}

/// An input that counts the bytes taken from it.
struct Counted<R> {
    inner: R,
    taken: std::rc::Rc<std::cell::Cell<usize>>,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.set(self.taken.get() + n);
        Ok(n)
    }
}

#[test]
fn a_bad_header_on_text_without_end_reads_a_bounded_part_of_it() {
    // As `yes | wickr-admin users import -`: the header is wrong, and the rest of the input never
    // ends. Whether it is text is told from its start, and the reading stops.
    let taken = std::rc::Rc::new(std::cell::Cell::new(0));
    // 16 MiB of "y" lines stand for the endless rest.
    let text: Vec<u8> = b"y\n".repeat(8 << 20);
    let input = Counted {
        inner: std::io::Cursor::new(text),
        taken: taken.clone(),
    };
    let source = source::Source::new(input, source::MAX_LINE_BYTES);
    let rows = Rows::with_format(source, Format::Csv, &defaults());
    let problems: Vec<&str> = rows
        .file_problems()
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert!(problems.contains(&"username"), "{problems:?}");
    assert!(
        taken.get() < 4 << 20,
        "read {} bytes of a bad file's rest",
        taken.get()
    );
    // A file that is not text past its bad header is still named as such.
    let mut binary = b"bogus\n".to_vec();
    binary.extend_from_slice(b"\xff\xfe\x00");
    let rows = Rows::with_format(
        source::Source::new(&binary[..], source::MAX_LINE_BYTES),
        Format::Csv,
        &defaults(),
    );
    assert!(
        rows.file_problems()
            .iter()
            .any(|p| p.message.contains("not valid UTF-8")),
        "{:?}",
        rows.file_problems()
    );
}

#[test]
fn an_invite_code_ttl_is_named_by_what_is_wrong_with_it() {
    let cases = [
        ("7", None),
        ("+7", None),
        ("2147483647", None),
        ("2147483648", Some("more days than the API takes")),
        ("99999999999999999999", Some("more days than the API takes")),
        ("0", Some("not a whole number of days (1 or more)")),
        ("00", Some("not a whole number of days (1 or more)")),
        ("-3", Some("not a whole number of days (1 or more)")),
        (
            "-99999999999",
            Some("not a whole number of days (1 or more)"),
        ),
        ("1e3", Some("not a whole number of days (1 or more)")),
        ("seven", Some("not a whole number of days (1 or more)")),
    ];
    for (value, expected) in cases {
        let text = format!("username,inviteCodeTtl\na@example.com,{value}\n");
        let input = parse(&text, Format::Csv, &defaults());
        let problem = input
            .problems()
            .find(|p| p.field == "inviteCodeTtl")
            .map(|p| p.message.clone());
        match expected {
            None => assert_eq!(problem, None, "{value}"),
            Some(expected) => {
                let message = problem.unwrap_or_default();
                assert!(message.contains(expected), "{value}: {message}");
            }
        }
    }
}

#[test]
fn a_header_of_thousands_of_bad_columns_lists_the_first_and_counts_the_rest() {
    let mut header = String::from("username");
    for i in 0..20_000 {
        header.push_str(&format!(",extra{i}"));
    }
    header.push_str(",username,username\n");
    let input = parse(&header, Format::Csv, &defaults());
    let problems: Vec<&Problem> = input.problems().collect();
    assert_eq!(
        problems.len(),
        csv_rows::HEADER_PROBLEMS_LISTED + 1,
        "{:?}",
        problems.last()
    );
    assert!(
        problems[0].message.contains("unknown column 2"),
        "{}",
        problems[0]
    );
    let last = problems.last().unwrap();
    // 20,000 unknown and 2 repeated columns, 20 of them listed.
    assert!(
        last.message
            .contains("and 19982 more unknown or repeated columns"),
        "{last}"
    );
}

#[test]
fn a_row_that_is_not_text_is_named_by_its_line_even_when_a_comma_cuts_a_character() {
    let read = |bytes: &[u8]| {
        let mut rows = Rows::with_format(
            source::Source::new(bytes, source::MAX_LINE_BYTES),
            Format::Csv,
            &defaults(),
        );
        let valid = rows
            .by_ref()
            .filter(|e| matches!(e, Entry::Valid(_)))
            .count();
        (valid, rows.file_problems().to_vec())
    };
    // "é" is C3 A9; without the comma between its two bytes the record's fields would read as
    // one valid text, yet neither field is text.
    let cases: [(&[u8], u64); 4] = [
        (
            b"username,firstName\na@example.com,Ann\nb@example.com\xc3,\xa9\n",
            3,
        ),
        (b"username,firstName\n\"b@example.com\n\xff\",Bo\n", 3),
        (
            b"username,firstName\na@example.com,Ann\n\"b\nc\",\"x\n\xc3\",\xa9\n",
            5,
        ),
        (b"username,firstName\nb@example.com,Bo\xff\n", 2),
    ];
    for (bytes, line) in cases {
        let (valid, problems) = read(bytes);
        assert_eq!(valid, 0, "{:?}", String::from_utf8_lossy(bytes));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].line,
            line,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
        assert!(
            problems[0].message.contains("not valid UTF-8"),
            "{problems:?}"
        );
    }
    // Text that is white space around a value, in any script, is trimmed as before.
    let (valid, problems) =
        read("username,firstName\n\u{3000}é@example.com\u{a0},\tAnn \n".as_bytes());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(valid, 1);
}
