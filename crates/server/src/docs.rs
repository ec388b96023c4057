//! `/api/docs`: the OpenAPI document rendered as a page by the server
//! itself (no Swagger UI or ReDoc assets to fetch from anywhere).

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use maud::{Markup, html};
use serde_json::Value;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/api/docs", get(page))
}

async fn page() -> Html<String> {
    let doc = serde_json::to_value(crate::api::openapi()).unwrap_or(Value::Null);
    Html(render(&doc).into_string())
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// A schema in one line: `Page<DeviceSummary>`-like names from `$ref`,
/// `[T]` for arrays, the type otherwise.
fn schema_name(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return name.to_owned();
    }
    if let Some(items) = s.get("items") {
        return format!("[{}]", schema_name(items));
    }
    if let Some(any) = s
        .get("oneOf")
        .or_else(|| s.get("anyOf"))
        .and_then(Value::as_array)
    {
        return any.iter().map(schema_name).collect::<Vec<_>>().join(" | ");
    }
    match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts.iter().map(text).collect::<Vec<_>>().join(" | "),
        _ => "any".to_owned(),
    }
}

fn body_schema(v: &Value) -> Option<String> {
    v.get("content")?
        .get("application/json")?
        .get("schema")
        .map(schema_name)
}

fn render(doc: &Value) -> Markup {
    let info = &doc["info"];
    let empty = serde_json::Map::new();
    let paths = doc["paths"].as_object().unwrap_or(&empty);
    let schemas = doc["components"]["schemas"].as_object().unwrap_or(&empty);
    html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (text(&info["title"])) " — API reference" }
                link rel="stylesheet" href="/static/medvigil.css";
            }
            body.docs {
                header.top { a href="/" { "medvigil" } " · API reference" }
                main {
                    h1 { (text(&info["title"])) " " small { (text(&info["version"])) } }
                    p { (text(&info["description"])) }
                    p { "OpenAPI " (text(&doc["openapi"])) " document: "
                        a href="/api/v1/openapi.json" { "/api/v1/openapi.json" } ". Base URL: "
                        code { "/api/v1" } "." }
                    h2 { "Operations" }
                    @for (path, ops) in paths {
                        @if let Some(ops) = ops.as_object() {
                            @for (method, op) in ops {
                                section.op id=(format!("{method}-{path}")) {
                                    h3 { span.method { (method.to_uppercase()) } " " code { (path) } }
                                    p { (text(&op["summary"])) }
                                    @if !text(&op["description"]).is_empty() {
                                        p.desc { (text(&op["description"])) }
                                    }
                                    @if let Some(params) = op["parameters"].as_array() {
                                        table {
                                            thead { tr { th { "parameter" } th { "in" } th { "type" } th { "description" } } }
                                            tbody {
                                                @for p in params {
                                                    tr {
                                                        td { code { (text(&p["name"])) } @if p["required"] == true { " *" } }
                                                        td { (text(&p["in"])) }
                                                        td { (schema_name(&p["schema"])) }
                                                        td { (text(&p["description"])) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                    @if let Some(b) = body_schema(&op["requestBody"]) {
                                        p { "Request body: " code { (b) } }
                                    }
                                    @if let Some(responses) = op["responses"].as_object() {
                                        ul.responses {
                                            @for (status, r) in responses {
                                                li {
                                                    strong { (status) } " " (text(&r["description"]))
                                                    @if let Some(b) = body_schema(r) { " → " code { (b) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    h2 { "Schemas" }
                    @for (name, s) in schemas {
                        section.schema id=(format!("schema-{name}")) {
                            h3 { code { (name) } }
                            @if !text(&s["description"]).is_empty() { p { (text(&s["description"])) } }
                            @if let Some(props) = s["properties"].as_object() {
                                table {
                                    thead { tr { th { "field" } th { "type" } th { "description" } } }
                                    tbody {
                                        @for (field, p) in props {
                                            tr {
                                                td { code { (field) } }
                                                td { (schema_name(p)) }
                                                td { (text(&p["description"])) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
