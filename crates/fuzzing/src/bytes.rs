//! Edits of a byte string: cutting it short, flipping bits, inserting tokens that mean something
//! to the reader (quotes, separators, invalid UTF-8), removing or repeating a span, and long runs
//! of one byte.

use proptest::prelude::*;
use proptest::sample::Index;

/// One edit. Positions are [`Index`]es, resolved against the length the bytes have when the edit
/// is applied.
#[derive(Clone, Debug)]
pub enum ByteEdit {
    /// Keeps the bytes before the position.
    Truncate(Index),
    /// XORs the byte at the position with a mask.
    Flip(Index, u8),
    /// Inserts a token before the position.
    Insert(Index, &'static [u8]),
    /// Removes up to this many bytes from the position.
    Remove(Index, u16),
    /// Repeats up to this many bytes from the position right after themselves.
    Duplicate(Index, u16),
    /// Inserts a run of one byte, this many times.
    Run(Index, u8, u32),
}

/// Tokens that mean something to a JSON reader.
pub const JSON_TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b",",
    b":",
    b"\\",
    b"null",
    b"true",
    b"-0",
    b"1e400",
    b"-1e400",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"0.000000000000000000000000000001",
    b"\\u0000",
    b"\\ud800",
    b"\\udfff\\ud800",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\0",
    b"\r\n",
    b" ",
];

/// Tokens that mean something to a CSV or JSON Lines reader.
pub const CSV_TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b",,,,,,,",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b" ",
    b"\t",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf0\x9f\x98\x80",
    b"{",
    b"}",
    b"{\"username\":5}",
    b"{\"username\":\"a\",\"username\":\"b\"}",
    b"null",
    b"true",
    b"2147483648",
    b"-1",
    b"1e400",
    b"username",
    b"firstName",
    b"inviteCodeTtl",
    b"codeValidation",
    b"securityGroupId",
];

/// Tokens that mean something in an HTTP request line, query string or header.
pub const HTTP_TOKENS: &[&[u8]] = &[
    b"/",
    b"//",
    b"/../",
    b"?",
    b"&",
    b"=",
    b"%",
    b"%2F",
    b"%00",
    b"%ZZ",
    b"%C3",
    b"%FF",
    b"+",
    b":",
    b"#",
    b" ",
    b"\t",
    b"\xff",
    b"\xc3\xa9",
    b"{",
    b"}",
    b"maxResults=0",
    b"maxResults=-1",
    b"maxResults=99999999999",
    b"nextToken=x",
    b"networkId=1",
];

/// One edit, with tokens from `tokens` and runs up to `max_run` bytes long.
pub fn edit(
    tokens: &'static [&'static [u8]],
    max_run: u32,
) -> impl Strategy<Value = ByteEdit> + Clone {
    prop_oneof![
        2 => any::<Index>().prop_map(ByteEdit::Truncate),
        3 => (any::<Index>(), 1u8..).prop_map(|(at, mask)| ByteEdit::Flip(at, mask)),
        4 => (any::<Index>(), proptest::sample::select(tokens))
            .prop_map(|(at, token)| ByteEdit::Insert(at, token)),
        2 => (any::<Index>(), 1u16..64).prop_map(|(at, n)| ByteEdit::Remove(at, n)),
        2 => (any::<Index>(), 1u16..256).prop_map(|(at, n)| ByteEdit::Duplicate(at, n)),
        1 => (any::<Index>(), any::<u8>(), 1..=max_run.max(1))
            .prop_map(|(at, byte, n)| ByteEdit::Run(at, byte, n)),
    ]
}

/// Up to `max` edits.
pub fn edits(
    tokens: &'static [&'static [u8]],
    max: usize,
    max_run: u32,
) -> impl Strategy<Value = Vec<ByteEdit>> + Clone {
    proptest::collection::vec(edit(tokens, max_run), 0..=max)
}

/// Applies the edits in order.
pub fn apply(bytes: &mut Vec<u8>, edits: &[ByteEdit]) {
    for edit in edits {
        apply_one(bytes, edit);
    }
}

fn apply_one(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    // A position in 0..=len: an insertion may go at the end.
    let gap = |at: &Index| at.index(bytes.len() + 1);
    match edit {
        ByteEdit::Truncate(at) => {
            let keep = gap(at);
            bytes.truncate(keep);
        }
        ByteEdit::Flip(at, mask) => {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] ^= mask;
            }
        }
        ByteEdit::Insert(at, token) => {
            let i = gap(at);
            bytes.splice(i..i, token.iter().copied());
        }
        ByteEdit::Remove(at, n) => {
            let i = gap(at);
            let end = (i + usize::from(*n)).min(bytes.len());
            bytes.drain(i..end);
        }
        ByteEdit::Duplicate(at, n) => {
            let i = gap(at);
            let end = (i + usize::from(*n)).min(bytes.len());
            let span = bytes[i..end].to_vec();
            bytes.splice(end..end, span);
        }
        ByteEdit::Run(at, byte, n) => {
            let i = gap(at);
            let run = usize::try_from(*n).unwrap_or(0);
            bytes.splice(i..i, std::iter::repeat_n(*byte, run));
        }
    }
}

/// Arbitrary bytes, up to `max` of them.
pub fn random(max: usize) -> impl Strategy<Value = Vec<u8>> + Clone {
    proptest::collection::vec(any::<u8>(), 0..=max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn edits_stay_within_the_bytes_and_do_what_they_say() {
        let mut runner = TestRunner::deterministic();
        let index = |runner: &mut TestRunner| {
            any::<Index>()
                .new_tree(runner)
                .map(|t| t.current())
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let at = index(&mut runner);
        let mut bytes = b"abc".to_vec();
        apply(&mut bytes, &[ByteEdit::Run(at, b'x', 5)]);
        assert_eq!(bytes.len(), 8);
        assert_eq!(bytes.iter().filter(|b| **b == b'x').count(), 5);
        let mut empty = Vec::new();
        for _ in 0..64 {
            let at = index(&mut runner);
            apply(
                &mut empty,
                &[
                    ByteEdit::Flip(at, 1),
                    ByteEdit::Remove(at, 3),
                    ByteEdit::Duplicate(at, 3),
                    ByteEdit::Truncate(at),
                ],
            );
        }
        assert!(empty.is_empty());
    }
}
