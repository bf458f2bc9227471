//! JMESPath, the language of the CLI's `--query`. It lives with the CLI because that is what
//! a learner learns it from; the checks query their probes' JSON with the same compiled
//! [`Query`], so a check's query means exactly what it would after `--query`.

use serde_json::Value;

/// A compiled JMESPath expression.
#[derive(Clone)]
pub struct Query {
    source: String,
    expression: jmespath::Expression<'static>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Query").field(&self.source).finish()
    }
}

impl Query {
    /// Compiles `source`, or says what is wrong with it.
    pub fn compile(source: &str) -> Result<Query, String> {
        let expression = jmespath::compile(source).map_err(|error| error.to_string())?;
        // The library finds an unknown function only when it is called, which a filter may
        // never do on the data at hand: a misspelt `lenght()` is caught here instead.
        if let Some(name) = unknown_function(expression.as_ast()) {
            return Err(format!("Unknown function: {name}()"));
        }
        Ok(Query {
            source: source.to_string(),
            expression,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates the query against `data`, with the `{name}`s it quotes
    /// (`[?CidrIp=='{myip}/32']`) filled by `fill` first: the checks fill them from the
    /// learner's bindings.
    pub fn search_filled(
        &self,
        data: &Value,
        fill: impl FnOnce(&str) -> String,
    ) -> Result<Value, String> {
        if !self.source.contains('{') {
            return self.search(data);
        }
        let filled = fill(&self.source);
        if filled == self.source {
            return self.search(data);
        }
        Query::compile(&filled)?.search(data)
    }

    /// Evaluates the query against `data`.
    pub fn search(&self, data: &Value) -> Result<Value, String> {
        let found = self
            .expression
            .search(data)
            .map_err(|error| error.to_string())?;
        serde_json::to_value(&*found).map_err(|error| error.to_string())
    }
}

/// The first function `ast` calls that JMESPath does not have.
fn unknown_function(ast: &jmespath::ast::Ast) -> Option<String> {
    use jmespath::ast::Ast;
    let children: Vec<&Ast> = match ast {
        Ast::Function { name, args, .. } => {
            let mut runtime = jmespath::Runtime::new();
            runtime.register_builtin_functions();
            if runtime.get_function(name).is_none() {
                return Some(name.clone());
            }
            args.iter().collect()
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => vec![lhs, rhs],
        Ast::Condition {
            predicate, then, ..
        } => vec![predicate, then],
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => vec![node],
        Ast::MultiList { elements, .. } => elements.iter().collect(),
        Ast::MultiHash { elements, .. } => elements.iter().map(|pair| &pair.value).collect(),
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => Vec::new(),
    };
    children.into_iter().find_map(unknown_function)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_projects_and_filters() {
        let data = json!({ "Reservations": [
            { "Instances": [{ "InstanceId": "i-1", "State": { "Name": "running" } }] },
            { "Instances": [{ "InstanceId": "i-2", "State": { "Name": "stopped" } }] },
        ]});
        let ids = Query::compile("Reservations[].Instances[?State.Name=='running'][].InstanceId")
            .expect("compile");
        assert_eq!(ids.search(&data).expect("search"), json!(["i-1"]));
        let missing = Query::compile("Nope.Deeper").expect("compile");
        assert_eq!(missing.search(&data).expect("search"), Value::Null);
    }

    #[test]
    fn bad_expressions_are_refused_at_compile_time() {
        assert!(Query::compile("Reservations[").is_err());
        assert!(Query::compile("Groups[?GroupName=='web'").is_err());
        assert_eq!(
            Query::compile("Groups[?lenght(IpPermissions) > `0`]").err(),
            Some("Unknown function: lenght()".to_string())
        );
        assert!(Query::compile("sort_by(Groups, &GroupName)[].{n: to_string(length(@))}").is_ok());
    }

    fn search(query: &str, data: &Value) -> Result<Value, String> {
        Query::compile(query).expect("compile").search(data)
    }

    #[test]
    fn the_clis_edge_cases() {
        let data = json!({
            "SecurityGroups": [
                { "GroupName": "web", "IpPermissions": [
                    { "FromPort": 22, "IpRanges": [{ "CidrIp": "203.0.113.7/32" }] },
                    { "FromPort": 80, "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] },
                ]},
                { "GroupName": "default", "IpPermissions": [] },
            ],
            "Policy": "{\"Statement\": []}",
            "Empty": [],
            "Flag": false,
        });
        // Numbers compare with backtick literals; counts come back as numbers.
        let open = search(
            "SecurityGroups[].IpPermissions[] | [?FromPort==`22`].IpRanges[].CidrIp",
            &data,
        );
        assert_eq!(open, Ok(json!(["203.0.113.7/32"])));
        assert_eq!(
            search("length(SecurityGroups[?GroupName=='web'])", &data)
                .ok()
                .and_then(|n| n.as_f64()),
            Some(1.0)
        );
        // A pipe stops a projection: [0] takes the first of the list, not of each.
        assert_eq!(
            search("SecurityGroups[].GroupName | [0]", &data),
            Ok(json!("web"))
        );
        assert_eq!(
            search("SecurityGroups[].GroupName[0]", &data),
            Ok(json!([]))
        );
        // Raw strings, functions on strings, and a filter on a field some items lack.
        assert_eq!(
            search("contains(Policy, 'Statement')", &data),
            Ok(json!(true))
        );
        assert_eq!(
            search(
                "SecurityGroups[?starts_with(GroupName, `\"we\"`)].GroupName",
                &data
            ),
            Ok(json!(["web"]))
        );
        assert_eq!(
            search("SecurityGroups[?IpPermissions[0].FromPort==`80`]", &data),
            Ok(json!([]))
        );
        // Multi-select, `false` kept apart from absent, and empty lists as empty.
        assert_eq!(
            search("{flag: Flag, missing: Nope}", &data),
            Ok(json!({ "flag": false, "missing": null }))
        );
        assert_eq!(search("Empty[0]", &data), Ok(Value::Null));
        assert_eq!(
            search("length(Empty)", &data).ok().and_then(|n| n.as_f64()),
            Some(0.0)
        );
        // A function given the wrong type is an error at search time.
        assert!(search("length(Flag)", &data).is_err());
    }
}
