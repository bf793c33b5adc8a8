//! Paginators for `@paginated` operations, with the official SDK crates' shape:
//! `into_paginator()` gives a [`Paginator`], whose `send()` is a `PaginationStream` of pages
//! (and `items().send()` one of items), which `next().await`, `collect()` and
//! `try_collect()` read.
//!
//! A paginator sends the operation again with each page's `nextToken` until a page comes back
//! without one. A token it already followed would make it loop forever, so the page that carries
//! one is the last page returned, and the stream's next item is a `ResponseError` naming the
//! token: pages after it may exist, and the caller has to know its list can be incomplete. (The
//! official paginators stop there without saying so, and only when the token repeats the one
//! just sent.) `stop_on_duplicate_token(false)` follows every token instead.

use std::collections::HashSet;
use std::sync::Arc;

use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;
use aws_smithy_async::future::pagination_stream::{PaginationStream, TryFlatMap};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::operation::BuildError;
use aws_types::request_id::RequestId;

use crate::client::Handle;
use crate::operation_shape::Paginated;

/// The pages of a paginated operation, one call each.
pub type Pages<O> = PaginationStream<
    Result<
        <O as crate::operation_shape::OperationShape>::Output,
        SdkError<<O as crate::operation_shape::OperationShape>::Error, HttpResponse>,
    >,
>;

/// The items of a paginated operation, fetching pages as needed.
pub type Items<O> = PaginationStream<
    Result<
        <O as Paginated>::Item,
        SdkError<<O as crate::operation_shape::OperationShape>::Error, HttpResponse>,
    >,
>;

/// Walks every page of a paginated operation.
pub struct Paginator<O: Paginated> {
    handle: Arc<Handle>,
    input: Result<O::Input, BuildError>,
    stop_on_duplicate_token: bool,
}

impl<O: Paginated> Paginator<O> {
    /// A paginator starting from `input` (an input that failed to build is the first item of
    /// the stream, as a `ConstructionFailure`).
    pub fn new(handle: Arc<Handle>, input: Result<O::Input, BuildError>) -> Self {
        Self {
            handle,
            input,
            stop_on_duplicate_token: true,
        }
    }

    /// Asks for pages of at most `limit` items.
    pub fn page_size(mut self, limit: i32) -> Self {
        if let Ok(input) = &mut self.input {
            O::set_page_size(input, limit);
        }
        self
    }

    /// Yields items instead of pages.
    pub fn items(self) -> ItemPaginator<O> {
        ItemPaginator(self)
    }

    /// Whether a page token the service already sent ends the walk with an error (the
    /// default), or is followed again.
    pub fn stop_on_duplicate_token(mut self, stop_on_duplicate_token: bool) -> Self {
        self.stop_on_duplicate_token = stop_on_duplicate_token;
        self
    }

    /// Starts walking the pages. (Each page's call takes a copy of the input, so it must be
    /// `Clone`, as every input but one holding a byte stream is.)
    pub fn send(self) -> Pages<O>
    where
        O::Input: Clone,
    {
        let Self {
            handle,
            input,
            stop_on_duplicate_token,
        } = self;
        PaginationStream::new(FnStream::new(move |tx| {
            Box::pin(async move {
                let mut input = match input {
                    Ok(input) => input,
                    Err(err) => {
                        let _ = tx.send(Err(SdkError::construction_failure(err))).await;
                        return;
                    }
                };
                let mut followed = HashSet::new();
                loop {
                    let page = handle.invoke::<O>(input.clone(), None).await;
                    let next =
                        match &page {
                            Ok(output) => O::next_token(output)
                                .filter(|token| !token.is_empty())
                                .map(|token| {
                                    let request_id = output.request_id().map(str::to_owned);
                                    (token.to_owned(), request_id)
                                }),
                            Err(_) => None,
                        };
                    if tx.send(page).await.is_err() {
                        // Nobody reads the stream any more.
                        return;
                    }
                    let Some((token, request_id)) = next else {
                        return;
                    };
                    if stop_on_duplicate_token && !followed.insert(token.clone()) {
                        let _ = tx.send(Err(repeated_token::<O>(&token, request_id))).await;
                        return;
                    }
                    O::set_next_token(&mut input, Some(token));
                }
            })
        }))
    }
}

/// The error that ends a walk whose service sent a page token a second time.
fn repeated_token<O: Paginated>(
    token: &str,
    request_id: Option<String>,
) -> SdkError<O::Error, HttpResponse> {
    let mut answer = HttpResponse::new(StatusCode::from(http::StatusCode::OK), SdkBody::empty());
    if let Some(id) = request_id {
        answer.headers_mut().insert("x-amzn-requestid", id);
    }
    SdkError::response_error(
        format!(
            "{}: the service sent page token {:?} a second time; the walk stops here so as \
             not to loop, and pages after it may be missing",
            O::NAME,
            crate::json::excerpt(token),
        ),
        answer,
    )
}

/// Walks every item of a paginated operation.
pub struct ItemPaginator<O: Paginated>(Paginator<O>);

impl<O: Paginated> ItemPaginator<O> {
    /// Starts walking the items.
    pub fn send(self) -> Items<O>
    where
        O::Input: Clone,
    {
        TryFlatMap::new(self.0.send()).flat_map(|page| O::items(&page).to_vec().into_iter())
    }
}
