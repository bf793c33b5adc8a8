//! `--output table`: the AWS CLI's boxed layout. The answer is titled with the operation's name;
//! an object's scalars form one row under a header of their keys (one key and its value when
//! there is one), and each nested object or list becomes a titled section indented one level,
//! its edges drawn with `|` at each level. A list of objects is one section with a row per
//! object, or one section per object when they have nested values. When the widest section does
//! not fit the terminal, sections of one row are turned into key/value rows, as the AWS CLI does.

use serde_json::{Map, Value};
use unicode_width::UnicodeWidthChar;

use super::python_text;

/// The value as a table titled `title`; empty when the value is empty (or `false`, `0`, `""`, as
/// the AWS CLI prints nothing for those).
pub fn format(title: &str, value: &Value, terminal_width: usize) -> String {
    let mut table = Table::default();
    if !table.build(Some(title), value, 0) {
        return String::new();
    }
    table.render(terminal_width)
}

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn update_widths(&mut self, cells: &[String]) {
        for (i, cell) in cells.iter().enumerate() {
            let width = text_width(cell);
            match self.max_widths.get_mut(i) {
                Some(w) => *w = (*w).max(width),
                None => self.max_widths.push(width),
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    /// Column widths with `padding` each, scaled to add up to `max_width` when it is given.
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let Some(max_width) = max_width else {
            return unscaled;
        };
        if unscaled.is_empty() {
            return unscaled;
        }
        let total: usize = unscaled.iter().sum();
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    /// The width the section needs: its columns with 4 spaces of padding each, its border, and
    /// its indentation on both sides, or its title if that is wider.
    fn total_width(&self) -> usize {
        let columns: usize = self.column_widths(0, None).iter().map(|w| w + 4).sum();
        let total = columns + 2 + 2 * self.indent;
        total.max(text_width(&self.title) + 2 + 2 * self.indent)
    }
}

#[derive(Default)]
struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_owned(),
            indent,
            ..Section::default()
        });
    }

    /// Adds `value`; false when there is nothing to show.
    fn build(&mut self, title: Option<&str>, value: &Value, indent: usize) -> bool {
        if !truthy(value) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(title, indent);
        }
        match value {
            Value::Array(items) => {
                if items.first().is_some_and(Value::is_object) {
                    self.list_of_objects(items, indent, title);
                } else {
                    for item in items {
                        match item {
                            Value::Array(inner) if inner.iter().all(is_scalar) => {
                                self.current()
                                    .add_row(inner.iter().map(python_text).collect());
                            }
                            Value::Object(map) => {
                                // The AWS CLI iterates an object as its keys here.
                                self.current().add_row(map.keys().cloned().collect());
                            }
                            scalar if is_scalar(scalar) => {
                                self.current().add_row(vec![python_text(scalar)]);
                            }
                            other => {
                                self.build(None, other, 0);
                            }
                        }
                    }
                }
            }
            Value::Object(map) => self.object(map, indent),
            _ => {}
        }
        true
    }

    fn object(&mut self, map: &Map<String, Value>, indent: usize) {
        let (headers, more) = scalar_keys(map);
        if let [only] = headers.as_slice() {
            let value = python_text(&map[only.as_str()]);
            self.current().add_row(vec![only.clone(), value]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|k| python_text(&map[k.as_str()]))
                .collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &map[key.as_str()], indent + 1);
        }
    }

    fn list_of_objects(&mut self, items: &[Value], indent: usize, title: Option<&str>) {
        let empty = Map::new();
        let objects: Vec<&Map<String, Value>> = items
            .iter()
            .map(|item| item.as_object().unwrap_or(&empty))
            .collect();
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for object in &objects {
            let (h, m) = scalar_keys(object);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        for (i, object) in objects.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title.unwrap_or_default(), indent);
                self.current().add_header(headers.clone());
            }
            let row = headers
                .iter()
                .map(|h| object.get(h).map_or_else(String::new, python_text))
                .collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(value) = object.get(key) {
                    self.build(Some(key), value, indent + 1);
                }
            }
        }
    }

    fn render(&mut self, terminal_width: usize) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            self.turn_rows_vertical();
            max_width = self.max_width();
        }
        let mut out = String::new();
        out.push_str(&"-".repeat(max_width));
        out.push('\n');
        for section in &self.sections {
            render_section(section, max_width, &mut out);
        }
        out
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    /// Turns every section of one row under a header into key/value rows.
    fn turn_rows_vertical(&mut self) {
        for section in &mut self.sections {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let mut vertical = Section {
                    title: std::mem::take(&mut section.title),
                    indent: section.indent,
                    ..Section::default()
                };
                for (header, cell) in section.headers.iter().zip(&section.rows[0]) {
                    vertical.add_row(vec![header.clone(), cell.clone()]);
                }
                *section = vertical;
            }
        }
    }
}

/// Writes one line of a section, inside the `|` edges of its indentation.
fn line(out: &mut String, indent: usize, text: &str) {
    out.push_str(&"|".repeat(indent));
    out.push_str(text);
    out.push_str(&"|".repeat(indent));
    out.push('\n');
}

fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let indent = section.indent;
    let width = max_width.saturating_sub(indent * 2);
    if !section.title.is_empty() {
        line(out, indent, &center(&section.title, width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(
                out,
                indent,
                &format!("+{}+", "-".repeat(width.saturating_sub(2))),
            );
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(width));
        let mut text = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            text.push_str(&center(header, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(out, indent, &line_break(&widths));
        line(out, indent, &text);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, Some(width));
        if widths.is_empty() {
            return;
        }
        line(out, indent, &line_break(&widths));
        for row in &section.rows {
            let mut text = String::new();
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                text.push_str(&align_left(cell, *w, if i == 0 { "|" } else { "" }, "|"));
            }
            line(out, indent, &text);
        }
        line(out, indent, &line_break(&widths));
    }
}

/// `+-----+------+`: a border under column widths.
fn line_break(widths: &[usize]) -> String {
    let mut text = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            text.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            text.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    text
}

fn spaces(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

/// `text` centred in `length` columns between the edges, as the AWS CLI centres it.
fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_length = text_width(text) as i64;
    let length = length as i64;
    let start = length / 2 - text_length / 2 - 1;
    let so_far = text_width(left) as i64 + start + text_length;
    let right_spaces = length - text_width(right) as i64 - so_far;
    format!(
        "{left}{}{text}{}{right}",
        spaces(start),
        spaces(right_spaces)
    )
}

/// `text` two spaces from the left edge in `length` columns (no padding when it does not fit).
fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_length = text_width(text) as i64;
    let length = length as i64;
    let edges = (text_width(left) + text_width(right)) as i64;
    let padding = if length - (text_length + 2 + edges) >= 0 {
        2
    } else {
        0
    };
    let rest =
        length - (text_width(left) as i64 + padding + text_length) - text_width(right) as i64;
    format!("{left}{}{text}{}{right}", spaces(padding), spaces(rest))
}

/// Columns a text takes: wide and ambiguous East Asian characters count two, as the AWS CLI
/// counts them.
fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| c.width_cjk().unwrap_or(1).max(1))
        .sum()
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Python's truth: empty, zero, `false` and `null` are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// An object's keys holding scalars and the others, each sorted.
fn scalar_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    for (key, value) in map {
        if is_scalar(value) {
            headers.push(key.clone());
        } else {
            more.push(key.clone());
        }
    }
    // The AWS CLI sorts them; an object's own order is the answer's.
    headers.sort();
    more.sort();
    (headers, more)
}

#[cfg(test)]
mod tests;
