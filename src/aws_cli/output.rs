//! The answer printed as the aws CLI v1 prints it: `json` as Python's `json.dumps(indent=4)`,
//! `text` as its tab-separated formatter (awscli `text.py`), `table` as its table formatter
//! (awscli `formatter.py` and `table.py`, uncoloured, as the CLI draws it into a pipe).

use serde_json::Value;

/// `--output json`: four-space indent, keys in the order given; an empty answer prints nothing.
pub fn json(value: &Value) -> String {
    if value.as_object().is_some_and(serde_json::Map::is_empty) {
        return String::new();
    }
    let mut bytes = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    text.push('\n');
    text
}

/// `found`, a `--query` result from `original`, with each object's keys back in the order
/// `original` gives them (the JMESPath engine sorts them; the CLI's keeps them). An object
/// `original` has no twin of keeps the order of the first keys seen.
pub fn in_order_of(found: Value, original: &Value) -> Value {
    let mut orders: Vec<Vec<String>> = Vec::new();
    collect_orders(original, &mut orders);
    reorder(found, &orders)
}

fn collect_orders(value: &Value, orders: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(fields) => {
            let keys: Vec<String> = fields.keys().cloned().collect();
            if !orders.contains(&keys) {
                orders.push(keys);
            }
            fields
                .values()
                .for_each(|field| collect_orders(field, orders));
        }
        Value::Array(items) => items.iter().for_each(|item| collect_orders(item, orders)),
        _ => {}
    }
}

fn reorder(value: Value, orders: &[Vec<String>]) -> Value {
    match value {
        Value::Object(mut fields) => {
            let same_keys = |order: &&Vec<String>| {
                order.len() == fields.len() && order.iter().all(|key| fields.contains_key(key))
            };
            let mut sorted = serde_json::Map::new();
            if let Some(order) = orders.iter().find(same_keys).cloned() {
                for key in order {
                    if let Some(field) = fields.remove(&key) {
                        sorted.insert(key, reorder(field, orders));
                    }
                }
            }
            for (key, field) in fields {
                sorted.insert(key, reorder(field, orders));
            }
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| reorder(item, orders))
                .collect(),
        ),
        other => other,
    }
}

/// `--output text`.
pub fn text(value: &Value) -> String {
    let mut out = String::new();
    if value.as_object().is_some_and(serde_json::Map::is_empty) {
        return out;
    }
    format_text(value, None, None, &mut out);
    out
}

fn format_text(value: &Value, identifier: Option<&str>, keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(_) => format_object(value, identifier, keys, out),
        Value::Array(items) => format_list(items, identifier, out),
        scalar => {
            out.push_str(&python_str(scalar));
            out.push('\n');
        }
    }
}

fn format_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = all_scalar_keys(items);
        for item in items {
            format_text(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, others): (Vec<&Value>, Vec<&Value>) = items
            .iter()
            .partition(|item| !item.is_array() && !item.is_object());
        if !scalars.is_empty() {
            format_scalars(&scalars, identifier, out);
        }
        for other in others {
            format_text(other, identifier, None, out);
        }
    } else {
        format_scalars(&items.iter().collect::<Vec<_>>(), identifier, out);
    }
}

fn format_scalars(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for item in items {
                out.push_str(&format!(
                    "{}\t{}\n",
                    identifier.to_uppercase(),
                    python_str(item)
                ));
            }
        }
        None => {
            let words: Vec<String> = items.iter().map(|item| python_str(item)).collect();
            out.push_str(&words.join("\t"));
            out.push('\n');
        }
    }
}

fn format_object(
    value: &Value,
    identifier: Option<&str>,
    keys: Option<&[String]>,
    out: &mut String,
) {
    let Value::Object(fields) = value else {
        return;
    };
    let mut scalars = Vec::new();
    let mut others = Vec::new();
    match keys {
        None => {
            let mut sorted: Vec<(&String, &Value)> = fields.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in sorted {
                if value.is_object() || value.is_array() {
                    others.push((key.clone(), value));
                } else {
                    scalars.push(python_str(value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(fields.get(key).map(python_str).unwrap_or_default());
            }
            let mut rest: Vec<(&String, &Value)> = fields
                .iter()
                .filter(|(key, _)| !keys.contains(key))
                .collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            others.extend(rest.into_iter().map(|(key, value)| (key.clone(), value)));
        }
    }
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in others {
        format_text(value, Some(&key), None, out);
    }
}

/// The keys of the scalar fields of any object in `items`, sorted.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|fields| {
            fields
                .iter()
                .filter(|(_, value)| !value.is_object() && !value.is_array())
                .map(|(key, _)| key.clone())
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// How wide the CLI draws a table when it cannot ask a terminal.
const TABLE_WIDTH: usize = 80;

/// `--output table`, titled with the operation's name (`DescribeSecurityGroups`).
pub fn table(title: &str, value: &Value) -> String {
    let mut table = Table::default();
    if !table.build(Some(title), value, 0) {
        return String::new();
    }
    table.render(TABLE_WIDTH)
}

/// One titled block of a table, indented by its depth in the answer.
#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn update_widths(&mut self, cells: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = cells.iter().map(|cell| width(cell)).collect();
        } else {
            for (max, cell) in self.max_widths.iter_mut().zip(cells) {
                *max = (*max).max(width(cell));
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

    /// The columns' widths scaled to fill `max_width` exactly, as the CLI rounds them.
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<i64> {
        let unscaled: Vec<i64> = self
            .max_widths
            .iter()
            .map(|w| (w + padding) as i64)
            .collect();
        let total: i64 = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
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
        scaled
    }

    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum();
        let total = columns + 2 + 2 * self.indent;
        total.max(width(&self.title) + 2 + 2 * self.indent)
    }
}

/// The sections of a table, built from an answer as the CLI's `TableFormatter` builds them.
#[derive(Debug, Default)]
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
            title: title.to_string(),
            indent,
            ..Section::default()
        });
    }

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
                    self.list_rows(items, indent, title);
                } else {
                    for item in items {
                        match item {
                            Value::Array(cells) if cells.iter().all(is_scalar) => {
                                let row = cells.iter().map(python_str).collect();
                                self.current().add_row(row);
                            }
                            Value::Array(_) | Value::Object(_) => {
                                self.build(None, item, 0);
                            }
                            scalar => self.current().add_row(vec![python_str(scalar)]),
                        }
                    }
                }
            }
            Value::Object(fields) => self.object_rows(fields, indent),
            _ => {}
        }
        true
    }

    fn object_rows(&mut self, fields: &serde_json::Map<String, Value>, indent: usize) {
        let (headers, more) = scalar_keys(fields);
        if headers.len() == 1 {
            let value = python_str(&fields[&headers[0]]);
            self.current().add_row(vec![headers[0].clone(), value]);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|key| python_str(&fields[key])).collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &fields[&key], indent + 1);
        }
    }

    fn list_rows(&mut self, items: &[Value], indent: usize, title: Option<&str>) {
        let mut headers = Vec::new();
        let mut more = Vec::new();
        for fields in items.iter().filter_map(Value::as_object) {
            let (scalars, others) = scalar_keys(fields);
            headers.extend(scalars);
            more.extend(others);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        for (n, item) in items.iter().enumerate() {
            if n > 0 && !more.is_empty() {
                self.new_section(title.unwrap_or_default(), indent);
                self.current().add_header(headers.clone());
            }
            let row = headers
                .iter()
                .map(|key| item.get(key).map(python_str).unwrap_or_default())
                .collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(value) = item.get(key) {
                    self.build(Some(key), value, indent + 1);
                }
            }
        }
    }

    fn render(&self, terminal: usize) -> String {
        let mut max_width = self.max_width(&self.sections);
        let mut vertical = Vec::new();
        let sections = if max_width > terminal {
            // Too wide: single-row sections turn into `header | value` rows.
            vertical = self.sections.iter().map(vertical_section).collect();
            max_width = self.max_width(&vertical);
            &vertical
        } else {
            &self.sections
        };
        let mut out = "-".repeat(max_width);
        out.push('\n');
        for section in sections {
            render_section(section, max_width, &mut out);
        }
        drop(vertical);
        out
    }

    fn max_width(&self, sections: &[Section]) -> usize {
        sections.iter().map(Section::total_width).max().unwrap_or(0)
    }
}

fn vertical_section(section: &Section) -> Section {
    let mut turned = Section {
        title: section.title.clone(),
        headers: section.headers.clone(),
        rows: section.rows.clone(),
        indent: section.indent,
        max_widths: section.max_widths.clone(),
    };
    if section.rows.len() == 1 && !section.headers.is_empty() {
        turned = Section {
            title: section.title.clone(),
            indent: section.indent,
            ..Section::default()
        };
        for (header, cell) in section.headers.iter().zip(&section.rows[0]) {
            turned.add_row(vec![header.clone(), cell.clone()]);
        }
    }
    turned
}

fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let indent = section.indent;
    let max_width = max_width.saturating_sub(indent * 2);
    let mut line = |text: &str| {
        out.push_str(&"|".repeat(indent));
        out.push_str(text);
        out.push_str(&"|".repeat(indent));
        out.push('\n');
    };
    if !section.title.is_empty() {
        line(&center(&section.title, max_width as i64, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(&format!("+{}+", "-".repeat(max_width.saturating_sub(2))));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, max_width);
        let mut titles = String::new();
        for (n, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            titles.push_str(&center(header, *w, if n == 0 { "|" } else { "" }, "|"));
        }
        line(&line_break(&widths));
        line(&titles);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, max_width);
        if widths.is_empty() {
            return;
        }
        line(&line_break(&widths));
        for row in &section.rows {
            let mut cells = String::new();
            for (n, (w, cell)) in widths.iter().zip(row).enumerate() {
                cells.push_str(&align_left(cell, *w, if n == 0 { "|" } else { "" }));
            }
            line(&cells);
        }
        line(&line_break(&widths));
    }
}

/// `+-----+------+`.
fn line_break(widths: &[i64]) -> String {
    let mut text = String::new();
    for (n, w) in widths.iter().enumerate() {
        if n == 0 {
            text.push_str(&format!("+{}+", dashes(w - 2)));
        } else {
            text.push_str(&format!("{}+", dashes(w - 1)));
        }
    }
    text
}

fn dashes(n: i64) -> String {
    "-".repeat(usize::try_from(n).unwrap_or(0))
}

fn spaces(n: i64) -> String {
    " ".repeat(usize::try_from(n).unwrap_or(0))
}

/// The CLI's `center_text`, its arithmetic included.
fn center(text: &str, length: i64, left: &str, right: &str) -> String {
    let text_length = width(text) as i64;
    let start = length / 2 - text_length / 2 - 1;
    let so_far = left.len() as i64 + start + text_length;
    let right_spaces = length - right.len() as i64 - so_far;
    format!(
        "{left}{}{text}{}{right}",
        spaces(start),
        spaces(right_spaces)
    )
}

/// The CLI's `align_left`, two spaces in when they fit.
fn align_left(text: &str, length: i64, left: &str) -> String {
    let text_length = width(text) as i64;
    let padding = if length - (text_length + 2 + left.len() as i64 + 1) >= 0 {
        2
    } else {
        0
    };
    let so_far = left.len() as i64 + padding + text_length;
    format!(
        "{left}{}{text}{}|",
        spaces(padding),
        spaces(length - so_far - 1)
    )
}

/// The columns text takes: CJK characters take two, as the CLI counts them.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// The keys of an object's scalar fields and of its other fields, each sorted.
fn scalar_keys(fields: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut scalars, mut others): (Vec<String>, Vec<String>) = fields
        .keys()
        .cloned()
        .partition(|key| is_scalar(&fields[key]));
    scalars.sort();
    others.sort();
    (scalars, others)
}

fn is_scalar(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

/// Python's truth: empty lists, objects and strings, zero, false and null are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => !fields.is_empty(),
    }
}

/// A scalar as Python's `str()` writes it.
fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_indented_by_four_in_the_given_order() {
        let value = json!({"GroupId": "sg-1", "Tags": [], "A": {"B": 1}});
        assert_eq!(
            json(&value),
            "{\n    \"GroupId\": \"sg-1\",\n    \"Tags\": [],\n    \"A\": {\n        \"B\": 1\n    }\n}\n"
        );
        assert_eq!(json(&json!({})), "");
        assert_eq!(json(&json!("k")), "\"k\"\n");
    }

    #[test]
    fn tables_are_drawn_as_the_cli_draws_them() {
        let identity = json!({"UserId": "AIDA", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root"});
        assert_eq!(
            table("GetCallerIdentity", &identity),
            "--------------------------------------------------------------\n\
             |                      GetCallerIdentity                     |\n\
             +---------------+----------------------------------+---------+\n\
             |    Account    |               Arn                | UserId  |\n\
             +---------------+----------------------------------+---------+\n\
             |  123456789012 |  arn:aws:iam::123456789012:root  |  AIDA   |\n\
             +---------------+----------------------------------+---------+\n"
        );
        assert_eq!(
            table("DescribeKeyPairs", &json!({"KeyPairs": []})),
            "------------------\n|DescribeKeyPairs|\n+----------------+\n"
        );
        assert_eq!(table("DeleteKeyPair", &json!({})), "");
    }

    #[test]
    fn a_query_keeps_the_answers_order() {
        let original = json!({"Groups": [{"GroupId": "sg-1", "Tags": [], "Description": "d"}]});
        let found = json!({"Description": "d", "GroupId": "sg-1", "Tags": []});
        let ordered = in_order_of(found, &original);
        let keys: Vec<&String> = ordered.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["GroupId", "Tags", "Description"]);
    }

    #[test]
    fn text_is_tab_separated_as_the_cli_prints_it() {
        assert_eq!(
            text(&json!("-----BEGIN RSA PRIVATE KEY-----\nabc")),
            "-----BEGIN RSA PRIVATE KEY-----\nabc\n"
        );
        assert_eq!(text(&json!(["i-1", "i-2"])), "i-1\ti-2\n");
        let identity = json!({"UserId": "AID", "Account": "123", "Arn": "arn:x"});
        assert_eq!(text(&identity), "123\tarn:x\tAID\n");
        let groups = json!({"SecurityGroups": [{
            "GroupName": "web", "GroupId": "sg-1",
            "IpPermissions": [{"FromPort": 22, "IpProtocol": "tcp", "ToPort": 22,
                               "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}],
        }]});
        assert_eq!(
            text(&groups),
            "SECURITYGROUPS\tsg-1\tweb\n\
             IPPERMISSIONS\t22\ttcp\t22\n\
             IPRANGES\t1.2.3.4/32\n"
        );
        assert_eq!(text(&json!(true)), "True\n");
    }
}
