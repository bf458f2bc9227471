//! The lesson format's reference, generated from its JSON Schema (`cloudlings lesson
//! schema`), which is generated from the documented structs the loader reads: one source for
//! the loader, editors and this page.

use serde_json::Value;

use crate::lang::Lang;

/// The reference as Markdown: the lesson file's fields, then each part's.
pub fn format(lang: Lang) -> String {
    let schema: Value =
        serde_json::from_str(&crate::lesson::format::schema_json()).unwrap_or(Value::Null);
    let (field, kind, meaning, values) = match lang {
        Lang::En => ("field", "type", "meaning", "Values"),
        Lang::Ko => ("필드", "형식", "뜻", "값"),
    };
    let mut page = String::new();
    let mut parts: Vec<(&str, &Value)> = vec![("Lesson file", &schema)];
    if let Some(defs) = schema["$defs"].as_object() {
        parts.extend(defs.iter().map(|(name, def)| (name.as_str(), def)));
    }
    for (name, part) in parts {
        page.push_str(&format!("### {name}\n\n"));
        if let Some(about) = part["description"].as_str() {
            page.push_str(&format!("{}\n\n", one_line(about)));
        }
        if let Some(fields) = part["properties"].as_object() {
            let required: Vec<&str> = part["required"]
                .as_array()
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            page.push_str(&format!(
                "| {field} | {kind} | {meaning} |\n|---|---|---|\n"
            ));
            for (name, field) in fields {
                let mark = if required.contains(&name.as_str()) {
                    " *"
                } else {
                    ""
                };
                page.push_str(&format!(
                    "| `{name}`{mark} | {} | {} |\n",
                    type_of(field),
                    cell(field["description"].as_str().unwrap_or_default())
                ));
            }
            page.push('\n');
        }
        if let Some(choices) = part["oneOf"].as_array().or(part["enum"].as_array()) {
            page.push_str(&format!("{values}:\n\n"));
            for choice in choices {
                let value = choice.get("const").unwrap_or(choice);
                let about = choice["description"].as_str().unwrap_or_default();
                page.push_str(&format!("- `{}`: {}\n", text_of(value), one_line(about)));
            }
            page.push('\n');
        }
    }
    page
}

fn type_of(field: &Value) -> String {
    if let Some(reference) = field["$ref"].as_str() {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    if let Some(any) = field["anyOf"].as_array() {
        let kinds: Vec<String> = any
            .iter()
            .filter(|kind| kind["type"] != "null")
            .map(type_of)
            .collect();
        return kinds.join(" or ");
    }
    match (&field["type"], &field["items"]) {
        (Value::String(kind), items) if kind == "array" => format!("list of {}", type_of(items)),
        (Value::String(kind), _) => kind.clone(),
        (Value::Array(kinds), _) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|kind| *kind != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_string(),
    }
}

fn text_of(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A description fit for a table cell.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_the_format_is_described() {
        let page = format(Lang::En);
        for part in [
            "### Lesson file",
            "### StepFile",
            "### CheckFile",
            "### ProbeFile",
        ] {
            assert!(page.contains(part), "{part}");
        }
        assert!(page.contains("| `probe` * | ProbeFile |"), "{page}");
        assert!(page.contains("- `contains`:"));
    }
}
