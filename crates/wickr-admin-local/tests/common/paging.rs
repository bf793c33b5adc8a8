//! Paging through a listing while it changes: the checks every paginated operation's test
//! runs.

use std::collections::HashSet;
use std::future::Future;
use wickr_admin_local::RunningEmulator;

/// Page size.
pub const PAGE: i32 = 5;
/// Items each listing starts with (beyond what the network already has).
pub const START: usize = 12;
/// Items created between pages.
pub const CHANGED: usize = 5;

/// A page: item ids and the token for the next one.
pub type Page = (Vec<String>, Option<String>);

/// One paginated operation with ways to add and remove its items.
#[allow(async_fn_in_trait)]
pub trait Listing {
    /// Operation and variant, for messages.
    fn name(&self) -> String;
    /// One page of at most `PAGE` items.
    async fn page(&self, token: Option<String>) -> Page;
    /// Adds `count` items; `round` keeps their names apart from earlier rounds.
    async fn create(&self, round: usize, count: usize);
    /// Removes these items.
    async fn delete(&self, ids: &[String]);
}

/// Every id from `token` to the end of the listing.
pub async fn rest<L: Listing>(listing: &L, mut token: Option<String>) -> Vec<String> {
    let mut ids = Vec::new();
    let mut pages = 0;
    while let Some(t) = token {
        let (page, next) = listing.page(Some(t)).await;
        ids.extend(page);
        token = next;
        pages += 1;
        assert!(pages < 100, "{}: the listing does not end", listing.name());
    }
    ids
}

pub fn assert_no_repeats(name: &str, ids: &[String]) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "{name}: an item appears twice: {ids:?}"
    );
}

/// Items created between the first and the second page.
pub async fn creating_between_pages<L: Listing>(listing: &L) {
    let name = listing.name();
    let (first, token) = listing.page(None).await;
    let before: Vec<String> = first
        .iter()
        .cloned()
        .chain(rest(listing, token.clone()).await)
        .collect();
    assert!(
        before.len() > PAGE as usize,
        "{name}: one page holds everything"
    );
    assert_eq!(first.len(), PAGE as usize, "{name}");
    listing.create(1, CHANGED).await;
    let after: Vec<String> = first
        .into_iter()
        .chain(rest(listing, token).await)
        .collect();
    assert_no_repeats(&name, &after);
    for id in &before {
        assert!(
            after.contains(id),
            "{name}: {id} existed throughout but was skipped"
        );
    }
}

/// The items of the first page deleted before the second page.
pub async fn deleting_the_first_page<L: Listing>(listing: &L) {
    let name = listing.name();
    let (first, token) = listing.page(None).await;
    let others = rest(listing, token.clone()).await;
    listing.delete(&first).await;
    let after = rest(listing, token).await;
    assert_no_repeats(&name, &after);
    assert_eq!(after, others, "{name}: the items after page one changed");
}

pub async fn check<L: Listing, F: Future<Output = (RunningEmulator, L)>>(setup: impl Fn() -> F) {
    let (_emulator, listing) = setup().await;
    creating_between_pages(&listing).await;
    let (_emulator, listing) = setup().await;
    deleting_the_first_page(&listing).await;
}
