//! An operation's request, laid out step by step by its serializer: the path with its labels,
//! the query string, the headers and the body. Each step is compiled once here, so what an
//! operation's generated serializer adds to a client crate is a short list of calls.

use aws_smithy_types::error::operation::BuildError;

use super::QueryWriter;
use crate::operation_shape::SerializedRequest;

/// A request being laid out; [`finish`](Self::finish) gives the [`SerializedRequest`].
#[derive(Debug)]
pub struct RequestWriter {
    request: SerializedRequest,
    /// The query string's parameters, in the order they are pushed.
    pub query: QueryWriter,
}

impl RequestWriter {
    /// A request with this method, whose path starts with `path` (already encoded).
    pub fn new(method: &'static str, path: &str) -> Self {
        Self {
            request: SerializedRequest {
                method,
                uri: path.to_owned(),
                ..Default::default()
            },
            query: QueryWriter::new(),
        }
    }

    /// Adds a literal part of the path (already encoded).
    #[inline(never)]
    pub fn path(&mut self, text: &str) {
        self.request.uri.push_str(text);
    }

    /// Adds a label's value to the path, percent-encoded (`greedy` keeps its `/`s); the member
    /// `field` must be set and not empty.
    #[inline(never)]
    pub fn label(
        &mut self,
        field: &'static str,
        value: Option<String>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        let label = super::label(field, value, greedy)?;
        self.request.uri.push_str(&label);
        Ok(())
    }

    /// Adds the header `name` when the member `field` has a value; a value with line breaks or
    /// other control characters is refused.
    #[inline(never)]
    pub fn header(
        &mut self,
        name: &'static str,
        field: &'static str,
        value: Option<String>,
    ) -> Result<(), BuildError> {
        if let Some(value) = value {
            self.request
                .headers
                .push((name, super::header(field, value)?));
        }
        Ok(())
    }

    /// Adds the `Content-Type` header.
    #[inline(never)]
    pub fn content_type(&mut self, value: &'static str) {
        self.request
            .headers
            .push(("Content-Type", value.to_owned()));
    }

    /// Adds the headers of an `@httpPrefixHeaders` member.
    pub fn prefix_headers(&mut self, headers: Vec<(String, String)>) {
        self.request.prefix_headers.extend(headers);
    }

    /// The request, with this body.
    #[inline(never)]
    pub fn finish(self, body: Option<Vec<u8>>) -> SerializedRequest {
        let Self { mut request, query } = self;
        request.uri.push_str(&query.finish());
        request.body = body;
        request
    }
}
