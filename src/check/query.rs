//! JMESPath queries over probe JSON.

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
        Ok(Query {
            source: source.to_string(),
            expression,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
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
    }
}
