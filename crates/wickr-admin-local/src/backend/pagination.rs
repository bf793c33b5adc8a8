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
pub fn paginate<T>(
    items: impl IntoIterator<Item = T>,
    position: impl Fn(&T) -> Position,
    request: &PageRequest,
) -> Page<T> {
    let order = |a: &Position, b: &Position| -> Ordering {
        match request.direction {
            Direction::Asc => a.cmp(b),
            Direction::Desc => b.cmp(a),
        }
    };
    let mut rest: Vec<(Position, T)> = items
        .into_iter()
        .map(|item| (position(&item), item))
        .filter(|(p, _)| {
            request
                .after
                .as_ref()
                .is_none_or(|after| order(p, after) == Ordering::Greater)
        })
        .collect();
    rest.sort_by(|a, b| order(&a.0, &b.0));
    let more = rest.len() > request.max_results;
    rest.truncate(request.max_results);
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
}
