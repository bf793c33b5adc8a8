//! One way of paging every listing: a stable total order and a cursor.
//!
//! Each listing gives every item a [`Position`]: the values of the sort fields the caller
//! asked for, then a unique id. Positions order the items totally, and a page token carries
//! the position of the last item handed out. The next page is the items strictly after that
//! position, in the same order, as the listing is *now*. So an item that exists from the first
//! page to the last is returned exactly once, whatever is created or deleted in between: items
//! created meanwhile appear if they sort after the cursor, items deleted meanwhile are simply
//! absent, and neither shifts the others (as an offset would).
//!
//! An item whose sort field changes between pages may move across the cursor; that is a
//! change to the item, not to the listing.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One component of a position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPart {
    /// A member the item does not have; sorts first.
    Absent,
    /// A number.
    Int(i64),
    /// A text, compared byte by byte.
    Text(String),
}

impl From<&str> for KeyPart {
    fn from(s: &str) -> Self {
        KeyPart::Text(s.to_owned())
    }
}

impl From<Option<&str>> for KeyPart {
    fn from(s: Option<&str>) -> Self {
        s.map_or(KeyPart::Absent, KeyPart::from)
    }
}

impl From<i64> for KeyPart {
    fn from(n: i64) -> Self {
        KeyPart::Int(n)
    }
}

/// Where an item sits in a listing: its sort field values, then a unique id.
pub type Position = Vec<KeyPart>;

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// What page of a listing a caller asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Sort fields, in order (names as the operation's input gives them).
    pub sort_fields: Vec<String>,
    /// Direction for the whole order.
    pub direction: Direction,
    /// Largest page.
    pub max_results: usize,
    /// Position of the last item of the previous page.
    pub after: Option<Position>,
}

/// One page and the position to continue after, when more items follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in order.
    pub items: Vec<T>,
    /// Position of the last item, when the listing goes on.
    pub next: Option<Position>,
}

impl<T> Page<T> {
    /// The same page with each item mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

/// Pages `items`, placing each with `position`.
///
/// The items may come in any order: each one's position is computed, and only the page's worth
/// that sort first after the cursor is kept (a bounded heap), so a page costs time in the number
/// of items but memory in the page size. A listing that has its items in order already should
/// use [`paginate_in_order`], which costs only the page.
pub fn paginate<T>(
    items: impl IntoIterator<Item = T>,
    position: impl Fn(&T) -> Position,
    request: &PageRequest,
) -> Page<T> {
    let keep = request.max_results.saturating_add(1);
    // A max-heap in listing order: its top is the item that sorts last among those kept.
    let mut kept: BinaryHeap<Ranked<T>> = BinaryHeap::with_capacity(keep.min(1024) + 1);
    for item in items {
        let p = position(&item);
        if request
            .after
            .as_ref()
            .is_some_and(|after| order(request.direction, &p, after) != Ordering::Greater)
        {
            continue;
        }
        if kept.len() == keep {
            match kept.peek() {
                Some(last) if order(request.direction, &p, &last.position) == Ordering::Less => {
                    kept.pop();
                }
                _ => continue,
            }
        }
        kept.push(Ranked {
            position: p,
            direction: request.direction,
            item,
        });
    }
    let rest: Vec<(Position, T)> = kept
        .into_sorted_vec()
        .into_iter()
        .map(|r| (r.position, r.item))
        .collect();
    page_of(rest, request.max_results)
}

/// Pages items that already come in the listing's order (ascending positions for
/// [`Direction::Asc`], descending for [`Direction::Desc`]) and start strictly after the cursor,
/// as an ordered index gives them: reads one item past the page, whatever the listing's size.
pub fn paginate_in_order<T>(
    items_after_cursor: impl IntoIterator<Item = T>,
    position: impl Fn(&T) -> Position,
    request: &PageRequest,
) -> Page<T> {
    let rest: Vec<(Position, T)> = items_after_cursor
        .into_iter()
        .take(request.max_results.saturating_add(1))
        .map(|item| (position(&item), item))
        .collect();
    page_of(rest, request.max_results)
}

/// The first `max_results` of items in listing order, and the cursor when more follow.
fn page_of<T>(mut rest: Vec<(Position, T)>, max_results: usize) -> Page<T> {
    let more = rest.len() > max_results;
    rest.truncate(max_results);
    let next = if more {
        rest.last().map(|(p, _)| p.clone())
    } else {
        None
    };
    Page {
        items: rest.into_iter().map(|(_, item)| item).collect(),
        next,
    }
}

fn order(direction: Direction, a: &Position, b: &Position) -> Ordering {
    match direction {
        Direction::Asc => a.cmp(b),
        Direction::Desc => b.cmp(a),
    }
}

/// An item kept for a page, ordered by its place in the listing.
struct Ranked<T> {
    position: Position,
    direction: Direction,
    item: T,
}

impl<T> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Ranked<T> {}

impl<T> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Ranked<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        order(self.direction, &self.position, &other.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(direction: Direction, after: Option<Position>) -> PageRequest {
        PageRequest {
            sort_fields: Vec::new(),
            direction,
            max_results: 2,
            after,
        }
    }

    fn at(n: i64) -> Position {
        vec![KeyPart::Int(n)]
    }

    #[test]
    fn pages_continue_strictly_after_the_cursor_in_either_direction() {
        let items = [5, 1, 4, 2, 3];
        let asc = paginate(items, |n| at(*n), &request(Direction::Asc, None));
        assert_eq!((asc.items, asc.next.clone()), (vec![1, 2], Some(at(2))));
        let asc = paginate(items, |n| at(*n), &request(Direction::Asc, asc.next));
        assert_eq!((asc.items, asc.next.clone()), (vec![3, 4], Some(at(4))));
        let asc = paginate(items, |n| at(*n), &request(Direction::Asc, asc.next));
        assert_eq!((asc.items, asc.next), (vec![5], None));

        let desc = paginate(items, |n| at(*n), &request(Direction::Desc, Some(at(4))));
        assert_eq!((desc.items, desc.next), (vec![3, 2], Some(at(2))));
    }

    #[test]
    fn the_cursor_needs_no_item_at_its_position() {
        // The item at the cursor (3) was deleted and 10 created: the rest follows as before.
        let items = [1, 2, 4, 5, 10];
        let page = paginate(items, |n| at(*n), &request(Direction::Asc, Some(at(3))));
        assert_eq!(page.items, vec![4, 5]);
        assert_eq!(page.next, Some(at(5)));
    }

    #[test]
    fn absent_sorts_first_and_a_full_last_page_has_no_cursor() {
        let items = [Some("b"), None, Some("a")];
        let page = paginate(
            items,
            |s| vec![KeyPart::from(*s)],
            &PageRequest {
                max_results: 3,
                ..request(Direction::Asc, None)
            },
        );
        assert_eq!(page.items, vec![None, Some("a"), Some("b")]);
        assert_eq!(page.next, None);
    }

    /// Every page of `items` in `direction`, following the cursors.
    fn all_pages(items: &[i64], direction: Direction, size: usize, ordered: bool) -> Vec<Vec<i64>> {
        let mut sorted = items.to_vec();
        sorted.sort();
        if direction == Direction::Desc {
            sorted.reverse();
        }
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let request = PageRequest {
                max_results: size,
                ..request(direction, after.clone())
            };
            let page = if ordered {
                let rest = sorted.iter().copied().filter(|n| {
                    after
                        .as_ref()
                        .is_none_or(|a| order(direction, &at(*n), a) == Ordering::Greater)
                });
                paginate_in_order(rest, |n| at(*n), &request)
            } else {
                paginate(items.iter().copied(), |n| at(*n), &request)
            };
            pages.push(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => return pages,
            }
        }
    }

    #[test]
    fn a_bounded_selection_pages_as_a_full_sort_would_and_so_does_an_ordered_index() {
        // A shuffled listing, paged in both directions with page sizes that do and do not
        // divide it: every item once, in order, whichever way the page was chosen.
        let items: Vec<i64> = (0..97).map(|i| (i * 37) % 97).collect();
        for direction in [Direction::Asc, Direction::Desc] {
            let mut expected: Vec<i64> = (0..97).collect();
            if direction == Direction::Desc {
                expected.reverse();
            }
            for size in [1, 5, 10, 97, 100] {
                for ordered in [false, true] {
                    let pages = all_pages(&items, direction, size, ordered);
                    assert!(pages.iter().all(|p| p.len() <= size));
                    assert_eq!(pages.concat(), expected, "{direction:?} {size} {ordered}");
                }
            }
        }
    }
}
