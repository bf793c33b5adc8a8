//! Paginators for `@paginated` operations.
//!
//! A paginator sends the operation again with each page's `nextToken` until a page comes back
//! without one. A token it already followed would make it loop forever, so the page that carries
//! one is the last page returned, and the next call reports a `ResponseError` naming the token:
//! pages after it may exist, and the caller has to know its list can be incomplete.
//! The page size is the operation's `max_results`, set on the fluent builder before
//! `into_paginator()`.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use aws_smithy_types::error::operation::BuildError;

use aws_types::request_id::RequestId;

use crate::client::Handle;
use crate::error::{RawResponse, SdkError};
use crate::operation_shape::Paginated;

/// Walks every page of a paginated operation.
#[derive(Debug)]
pub struct Paginator<O: Paginated> {
    handle: Arc<Handle>,
    input: Result<O::Input, BuildError>,
}

impl<O: Paginated> Paginator<O> {
    /// Creates a paginator starting from `input` (an input that failed to build is reported by
    /// the first `next()`).
    pub fn new(handle: Arc<Handle>, input: Result<O::Input, BuildError>) -> Self {
        Self { handle, input }
    }

    /// Yields items instead of pages.
    pub fn items(self) -> ItemPaginator<O> {
        ItemPaginator { pages: self }
    }

    /// Starts walking the pages.
    pub fn send(self) -> PageStream<O> {
        PageStream {
            handle: self.handle,
            state: match self.input {
                Ok(input) => State::Ready(input),
                Err(err) => State::Invalid(err),
            },
            followed: HashSet::new(),
        }
    }
}

/// Walks every item of a paginated operation.
#[derive(Debug)]
pub struct ItemPaginator<O: Paginated> {
    pages: Paginator<O>,
}

impl<O: Paginated> ItemPaginator<O> {
    /// Starts walking the items.
    pub fn send(self) -> ItemStream<O> {
        ItemStream {
            pages: self.pages.send(),
            buffered: VecDeque::new(),
        }
    }
}

#[derive(Debug)]
enum State<I> {
    /// The next request.
    Ready(I),
    Invalid(BuildError),
    /// The service sent this page token a second time, in the answer with this request id.
    RepeatedToken {
        token: String,
        request_id: Option<String>,
    },
    Done,
}

/// Pages of a paginated operation, one call per `next()`.
#[derive(Debug)]
pub struct PageStream<O: Paginated> {
    handle: Arc<Handle>,
    state: State<O::Input>,
    followed: HashSet<String>,
}

impl<O: Paginated> PageStream<O>
where
    O::Input: Clone,
    O::Output: RequestId,
{
    /// The next page, or `None` after the last one. After an error the stream ends.
    pub async fn next(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Done => None,
            State::Invalid(err) => Some(Err(SdkError::construction_failure(err))),
            State::RepeatedToken { token, request_id } => Some(Err(SdkError::response_error_for(
                O::NAME,
                format!(
                    "the service sent page token {token:?} a second time; the walk stops \
                         here so as not to loop, and pages after it may be missing"
                ),
                RawResponse::read_answer(request_id.as_deref()),
            ))),
            State::Ready(mut input) => {
                let output = match self.handle.invoke::<O>(input.clone()).await {
                    Ok(output) => output,
                    Err(err) => return Some(Err(err)),
                };
                match O::next_token(&output) {
                    Some(token) if !token.is_empty() => {
                        if self.followed.insert(token.to_string()) {
                            O::set_next_token(&mut input, Some(token.to_string()));
                            self.state = State::Ready(input);
                        } else {
                            self.state = State::RepeatedToken {
                                token: token.to_string(),
                                request_id: output.request_id().map(str::to_owned),
                            };
                        }
                    }
                    _ => {}
                }
                Some(Ok(output))
            }
        }
    }

    /// Collects every page, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Output>, SdkError<O::Error>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

/// Items of a paginated operation, fetching pages as needed.
#[derive(Debug)]
pub struct ItemStream<O: Paginated> {
    pages: PageStream<O>,
    buffered: VecDeque<O::Item>,
}

impl<O: Paginated> ItemStream<O>
where
    O::Input: Clone,
    O::Output: RequestId,
{
    /// The next item, or `None` after the last one. After an error the stream ends.
    pub async fn next(&mut self) -> Option<Result<O::Item, SdkError<O::Error>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.buffered.extend(O::items(&page).iter().cloned()),
                Err(err) => return Some(Err(err)),
            }
        }
    }

    /// Collects every item, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Item>, SdkError<O::Error>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}
