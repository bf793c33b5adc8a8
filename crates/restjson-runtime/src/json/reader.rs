//! The reading state: the tokenizer, where in the document the value being read sits, and how
//! strict to be; and the one object loop every structure shares.

use std::borrow::Cow;

use aws_smithy_types::date_time::Format;

use super::timestamps::ReadTimestamps;
use super::tokens::{Kind, Tokens};
use super::{excerpt, JsonError};

/// One step from the document root to a value.
#[derive(Clone, Debug)]
pub(super) enum Step {
    Member(&'static str),
    Index(usize),
    Key(String),
}

/// Reading state over one JSON text: where the value being read sits, and how strict to be.
#[derive(Debug)]
pub struct Reader<'a> {
    tokens: Tokens<'a>,
    steps: Vec<Step>,
    /// A message body rather than a document written by a person.
    body: bool,
    /// Paths of keys that are not members, when reading a document.
    pub(super) unknown: Vec<String>,
}

impl<'a> Reader<'a> {
    /// Reads `text` as a message body (unknown keys skipped, members bound outside the body not
    /// read) or, with `body` unset, as a document a person wrote.
    pub(super) fn new(text: &'a str, body: bool) -> Self {
        Self {
            tokens: Tokens::new(text),
            steps: Vec::new(),
            body,
            unknown: Vec::new(),
        }
    }

    pub(super) fn tokens(&mut self) -> &mut Tokens<'a> {
        &mut self.tokens
    }

    pub(super) fn finish(&mut self) -> Result<(), JsonError> {
        self.tokens.finish()
    }

    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match step {
                Step::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Step::Key(key) => {
                    out.push('[');
                    out.push_str(&format!("{key:?}"));
                    out.push(']');
                }
            }
        }
        out
    }

    /// Whether this reads a message body (rather than a document a person wrote).
    pub fn is_body(&self) -> bool {
        self.body
    }

    /// Reads with `read` as the member `name` of the object being read.
    pub fn member<T>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&mut Self) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        self.steps.push(Step::Member(name));
        let out = read(self);
        self.steps.pop();
        out
    }

    /// An error about the value being read.
    pub fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError::at(self.path(), message.into())
    }

    /// An error saying what was expected and what kind of value comes instead.
    pub fn expected(&mut self, what: &str) -> JsonError {
        match self.tokens.peek() {
            Ok(kind) => self.error(format!("expected {what}, found {}", kind.described())),
            Err(e) => e,
        }
    }

    /// The kind of the next value.
    pub fn peek(&mut self) -> Result<Kind, JsonError> {
        self.tokens.peek()
    }

    /// Reads `null` when it comes next: `true` if it did.
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.tokens.peek()? == Kind::Null {
            self.tokens.null()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads a string; an error naming what came instead when the next value is not one.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.tokens.peek()? != Kind::String {
            return Err(self.expected("a string"));
        }
        self.tokens.string()
    }

    /// Reads a number's text (not parsed), when a number comes next.
    pub(super) fn number(&mut self, what: &str) -> Result<&'a str, JsonError> {
        if self.tokens.peek()? != Kind::Number {
            return Err(self.expected(what));
        }
        self.tokens.number()
    }

    pub(super) fn boolean(&mut self) -> Result<bool, JsonError> {
        if self.tokens.peek()? != Kind::Bool {
            return Err(self.expected("a boolean"));
        }
        self.tokens.boolean()
    }

    /// Reads the next value and keeps nothing of it.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        self.tokens.skip_value()
    }

    /// Reads the `{` of an object, or names what came instead (`what` says what was expected).
    pub(super) fn begin_object(&mut self, what: &str) -> Result<(), JsonError> {
        if self.tokens.peek()? != Kind::Object {
            return Err(self.expected(what));
        }
        self.tokens.begin_object()
    }

    /// The next key of the object begun, or `None` at its end.
    pub(super) fn next_key(&mut self, first: bool) -> Result<Option<Cow<'a, str>>, JsonError> {
        self.tokens.next_key(first)
    }

    /// Reads every element of an array with `read`, naming the element in errors: the loop that
    /// lists of values and lists of timestamps share. A `null` element goes to `read` when the
    /// element type is `nullable`; otherwise it is skipped in a body and refused in a document.
    pub(super) fn elements(
        &mut self,
        nullable: bool,
        read: &mut dyn FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        if self.tokens.peek()? != Kind::Array {
            return Err(self.expected("an array"));
        }
        self.tokens.begin_array()?;
        let mut i = 0;
        while self.tokens.next_element(i == 0)? {
            self.steps.push(Step::Index(i));
            let result = if !nullable && self.tokens.peek()? == Kind::Null {
                self.null_element("list element")
            } else {
                read(self)
            };
            self.steps.pop();
            result?;
            i += 1;
        }
        Ok(())
    }

    /// Reads every entry of an object with `read` (given the key), naming the entry in errors:
    /// the loop that maps of values and maps of timestamps share. `null` values go as
    /// [`elements`](Self::elements) says.
    pub(super) fn entries(
        &mut self,
        nullable: bool,
        read: &mut dyn FnMut(&str, &mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.each_member(&mut |key, reader| {
            // Only the start of a long key is kept: it is shown in error paths, never read back.
            reader.steps.push(Step::Key(excerpt(key).into_owned()));
            let result = if !nullable && reader.tokens.peek()? == Kind::Null {
                reader.null_element("map value")
            } else {
                read(key, reader)
            };
            reader.steps.pop();
            result
        })
    }

    /// A `null` element of a dense collection: skipped in a body (it carries nothing), refused
    /// in a document (it is a mistake worth naming).
    fn null_element(&mut self, what: &str) -> Result<(), JsonError> {
        if self.body {
            self.tokens.null()
        } else {
            Err(self.error(format!("null is not a valid {what}")))
        }
    }

    /// Reads the members of an object into `members`, one slot per known member.
    ///
    /// One shared loop for every structure: a structure only says which slot a JSON name goes
    /// to ([`Members::slot`]), and each member type is read by one shared function. A `null`
    /// member is absent; an unknown one is skipped (and, in a document, reported).
    pub fn read_object(&mut self, members: &mut dyn Members) -> Result<(), JsonError> {
        self.begin_object("an object")?;
        let mut first = true;
        while let Some(key) = self.tokens.next_key(first)? {
            first = false;
            let Some((name, slot)) = members.slot(&key, self.body) else {
                self.unknown(&key);
                self.tokens.skip_value()?;
                continue;
            };
            if self.null()? {
                continue;
            }
            self.steps.push(Step::Member(name));
            let result = match slot {
                Slot::Value(slot) => slot.read(self),
                Slot::Timestamp(slot, format) => slot.read_timestamps(self, format),
            };
            self.steps.pop();
            result?;
        }
        Ok(())
    }

    /// Reads every member of an object with `read`, given its key (a value left unread by
    /// `read` is an error of the text that follows it).
    pub fn each_member(
        &mut self,
        read: &mut dyn FnMut(&str, &mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.begin_object("an object")?;
        let mut first = true;
        while let Some(key) = self.tokens.next_key(first)? {
            first = false;
            read(&key, self)?;
        }
        Ok(())
    }

    /// Notes a key that is not a member: skipped in a body, reported in a document (cut short,
    /// so a huge key is not repeated in full).
    pub fn unknown(&mut self, key: &str) {
        if !self.body {
            let parent = self.path();
            let key = excerpt(key);
            self.unknown.push(if parent.is_empty() {
                key.into_owned()
            } else {
                format!("{parent}.{key}")
            });
        }
    }

    /// A required member that has no fallback value.
    pub fn required<T>(&self, value: Option<T>, name: &str) -> Result<T, JsonError> {
        value.ok_or_else(|| self.error(format!("required member `{name}` is missing")))
    }
}

/// Where a structure keeps its members while they are read: the structure's builder.
pub trait Members {
    /// The slot for the member named `name` (its JSON name in a message `body`, its model name in
    /// a document), with that name as a static string; `None` when no member has that name. In a
    /// message body, members bound to the URI, query string or headers have no slot.
    fn slot(&mut self, name: &str, body: bool) -> Option<(&'static str, Slot<'_>)>;
}

/// The place one member's value goes.
pub enum Slot<'a> {
    /// Any value read with its [`FromJson`](super::FromJson).
    Value(&'a mut dyn ReadInto),
    /// Timestamps (one, or a collection of them) in the given format.
    Timestamp(&'a mut dyn ReadTimestamps, Format),
}

/// An optional value that a JSON value can be read into.
pub trait ReadInto {
    /// Reads the next value and keeps it.
    fn read(&mut self, reader: &mut Reader<'_>) -> Result<(), JsonError>;
}

impl<T: super::FromJson> ReadInto for Option<T> {
    fn read(&mut self, reader: &mut Reader<'_>) -> Result<(), JsonError> {
        *self = Some(T::from_json(reader)?);
        Ok(())
    }
}

#[cfg(test)]
impl Reader<'_> {
    pub(super) fn push_member(&mut self, name: &'static str) {
        self.steps.push(Step::Member(name));
    }

    pub(super) fn push_index(&mut self, i: usize) {
        self.steps.push(Step::Index(i));
    }
}
