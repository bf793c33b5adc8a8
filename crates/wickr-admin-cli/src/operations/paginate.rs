//! Fetching every page of a paginated operation, as the AWS CLI does by default: each call
//! continues from the previous page's token until the service gives none. `--starting-token`
//! starts from a token printed before, `--page-size` sets how many items each call asks for,
//! and `--max-items` stops after that many items in all, with the token to continue from.
//!
//! The token printed is the service's own. When the items left for `--max-items` are fewer than
//! a page holds, that page is asked for again with a page size of just those items, so every
//! page ends on an item printed and its token continues right after it: nothing is skipped.

use std::collections::HashSet;

use serde_json::{Map, Value};
use wickr_admin::schema::{OperationInfo, PaginationInfo};
use wickr_admin::Client;

use super::call::call_by_name;
use super::failure::Failure;
use super::output::Answer;

/// The paging options of the command line.
#[derive(Clone, Debug, Default)]
pub struct Paging {
    pub starting_token: Option<String>,
    pub max_items: Option<u64>,
    pub page_size: Option<i64>,
}

/// Every page from `paging.starting_token` on, or up to `paging.max_items` items.
pub async fn pages(
    op: &'static OperationInfo,
    pagination: PaginationInfo,
    client: &Client,
    input: Map<String, Value>,
    paging: &Paging,
    place: &dyn Fn(&str) -> String,
) -> Result<Answer, Failure> {
    let json_name = |member: &str| {
        op.input_member(member)
            .map_or_else(|| member.to_owned(), |m| m.json_name.to_owned())
    };
    let token_key = json_name(pagination.input_token);
    let size_key = pagination.page_size.map(json_name);
    let send = |request: Map<String, Value>| async move {
        match call_by_name(op.kebab_name, client, request, place).await {
            Some(result) => result,
            None => Err(Failure::Other(format!("{} cannot be sent", op.name))),
        }
    };
    let mut pages = Vec::new();
    let mut count: u64 = 0;
    let mut token = paging.starting_token.clone();
    // Every token followed so far: a service that answers one again would page forever.
    let mut followed: HashSet<String> = token.iter().cloned().collect();
    loop {
        let remaining = paging.max_items.map(|max| max.saturating_sub(count));
        let mut request = input.clone();
        if let Some(token) = &token {
            request.insert(token_key.clone(), Value::String(token.clone()));
        }
        if let (Some(key), Some(size)) = (&size_key, paging.page_size) {
            let size = remaining.map_or(size, |left| size.min(clamp(left)));
            request.insert(key.clone(), Value::from(size));
        }
        let mut page = send(request.clone()).await?;
        let mut found = item_count(&page, pagination.items);
        if let Some(left) = remaining.filter(|left| found > *left) {
            let Some(key) = &size_key else {
                return Err(Failure::Other(format!(
                    "{}: a page holds more items than --max-items leaves room for, and the \
                     operation has no page size to ask for fewer",
                    op.name
                )));
            };
            request.insert(key.clone(), Value::from(clamp(left)));
            page = send(request).await?;
            found = item_count(&page, pagination.items);
            if found > left {
                return Err(Failure::Other(format!(
                    "{}: the service answered {found} items when {left} were asked for",
                    op.name
                )));
            }
        }
        count += found;
        let next = page
            .get(pagination.output_token)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        pages.push(page);
        let next = match next {
            None => return Ok(answer(pages, pagination, None)),
            Some(next) if paging.max_items.is_some_and(|max| count >= max) => {
                return Ok(answer(pages, pagination, Some(next)))
            }
            Some(next) if !followed.insert(next.clone()) => {
                return Err(Failure::Other(format!(
                    "{}: the service answered a page token it had already given; stopping \
                     rather than fetching the same pages forever",
                    op.name
                )));
            }
            Some(next) => next,
        };
        token = Some(next);
    }
}

fn answer(pages: Vec<Value>, pagination: PaginationInfo, resume: Option<String>) -> Answer {
    Answer::Pages {
        pages,
        items: pagination.items,
        output_token: pagination.output_token,
        resume,
    }
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn item_count(page: &Value, items: &str) -> u64 {
    page.get(items)
        .and_then(Value::as_array)
        .map_or(0, |list| list.len() as u64)
}
