//! The answers every operation shares, added to the OpenAPI document in one
//! pass over it, so that a new operation gets them without a line of its
//! own: what the credential check, the body and path extractors, the lock-out
//! and the server itself may answer. Each error answer is problem JSON.
//! An operation's own attributes add only what is its own (a 409, a 404 for
//! a record its body names) and may say it in their own words.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{
    Content, ObjectBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder, Type,
};

use crate::access::{Rule, rule_for};

/// The media type of every error answer (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A shared answer: its status, its name under `components/responses`, and
/// what it means.
struct Shared {
    status: &'static str,
    name: &'static str,
    description: &'static str,
}

const BAD_REQUEST: Shared = Shared {
    status: "400",
    name: "BadRequest",
    description: "The body is not JSON, or the query string cannot be read.",
};
const UNAUTHENTICATED: Shared = Shared {
    status: "401",
    name: "Unauthenticated",
    description: "No bearer credential, or one that is unknown, revoked or expired.",
};
const FORBIDDEN: Shared = Shared {
    status: "403",
    name: "Forbidden",
    description: "The credential does not allow this: the role lacks the right, a store-scoped \
                  user reaches outside their stores, or a till key calls a staff route (or a \
                  staff token a till's).",
};
const NOT_FOUND: Shared = Shared {
    status: "404",
    name: "NotFound",
    description: "Nothing has the id or code in the path (a malformed one included), or the \
                  `cursor` is not one this list gave out.",
};
const TOO_LARGE: Shared = Shared {
    status: "413",
    name: "PayloadTooLarge",
    description: "The body is larger than this route reads (1 MiB; 32 MiB for an offline batch).",
};
const UNSUPPORTED_MEDIA_TYPE: Shared = Shared {
    status: "415",
    name: "UnsupportedMediaType",
    description: "The body is not sent as `application/json`.",
};
const UNPROCESSABLE: Shared = Shared {
    status: "422",
    name: "Unprocessable",
    description: "A field or parameter is missing, of the wrong type or out of its bounds; \
                  `errors` names each one with a code and a message.",
};
const TOO_MANY: Shared = Shared {
    status: "429",
    name: "TooManyAttempts",
    description: "This address sent too many unknown credentials (100 a minute) and is locked \
                  out for a while; `Retry-After` and `retry_after` say how many seconds.",
};
const INTERNAL: Shared = Shared {
    status: "500",
    name: "Internal",
    description: "Something went wrong on our side; it has been logged.",
};
const UNAVAILABLE: Shared = Shared {
    status: "503",
    name: "Unavailable",
    description: "The database is not available, or not at this binary's schema; or the \
                  server is stopping to restart (`Retry-After` says when to send again: \
                  a request under way when it was told to stop is still answered).",
};

const ALL: &[&Shared] = &[
    &BAD_REQUEST,
    &UNAUTHENTICATED,
    &FORBIDDEN,
    &NOT_FOUND,
    &TOO_LARGE,
    &UNSUPPORTED_MEDIA_TYPE,
    &UNPROCESSABLE,
    &TOO_MANY,
    &INTERNAL,
    &UNAVAILABLE,
];

/// What the derive cannot say, written as JSON Schema because the
/// document's types do not know every keyword (`anyOf` in a parameter,
/// `contains`, `const`, a `null` among an `enum`'s values).
pub enum Contract {
    /// A rule across fields of a body: the schema named must match this too.
    Body(&'static str, serde_json::Value),
    /// A rule across fields of one operation's body (`"POST /api/v1/customers"`).
    Request(&'static str, serde_json::Value),
    /// The schema of a parameter of an operation, instead of its type's.
    Parameter(&'static str, &'static str, serde_json::Value),
    /// A schema of its own under `components/schemas`, which the rules
    /// above may refer to (a recursive one the derive cannot write).
    Schema(&'static str, serde_json::Value),
}

fn operation<'a>(
    document: &'a mut serde_json::Value,
    operation: &str,
) -> &'a mut serde_json::Value {
    let (method, path) = operation.split_once(' ').expect("METHOD /path");
    let found = &mut document["paths"][path][method.to_lowercase()];
    assert!(
        found.is_object(),
        "{operation} is no operation of the document"
    );
    found
}

/// Completes a document whose routes are all in: every operation lists the
/// shared answers that apply to it, every error answer is problem JSON, and
/// each body schema carries its rules across fields. Answers the document
/// as it is served.
pub fn complete(
    mut openapi: OpenApi,
    contracts: impl IntoIterator<Item = Contract>,
) -> serde_json::Value {
    add_shared_answers(&mut openapi);
    let mut document = serde_json::to_value(openapi).expect("the document serialises");
    for contract in contracts {
        match contract {
            Contract::Schema(name, schema) => {
                document["components"]["schemas"][name] = schema;
            }
            Contract::Body(name, rule) => {
                let own = document["components"]["schemas"]
                    .get_mut(name)
                    .unwrap_or_else(|| panic!("a rule for {name}, no schema of the document"));
                *own = serde_json::json!({"allOf": [own.take(), rule]});
            }
            Contract::Request(name, rule) => {
                let body = &mut operation(&mut document, name)["requestBody"]["content"]["application/json"]
                    ["schema"];
                assert!(body.is_object(), "{name} takes no JSON body");
                *body = serde_json::json!({"allOf": [body.take(), rule]});
            }
            Contract::Parameter(name, parameter, schema) => {
                let found = operation(&mut document, name)["parameters"]
                    .as_array_mut()
                    .and_then(|all| all.iter_mut().find(|p| p["name"] == parameter))
                    .unwrap_or_else(|| panic!("{name} takes no parameter {parameter}"));
                found["schema"] = schema;
            }
        }
    }
    document
}

fn add_shared_answers(openapi: &mut OpenApi) {
    let components = openapi.components.get_or_insert_with(Default::default);
    for shared in ALL {
        components
            .responses
            .insert(shared.name.to_owned(), RefOr::T(shared.response()));
    }
    for (path, item) in &mut openapi.paths.paths {
        for (method, operation) in operations(item) {
            for shared in shared_answers(rule_for(&method, path), operation) {
                operation
                    .responses
                    .responses
                    .entry(shared.status.to_owned())
                    .or_insert_with(|| {
                        RefOr::Ref(Ref::new(format!("#/components/responses/{}", shared.name)))
                    });
            }
            for (status, answer) in &mut operation.responses.responses {
                let RefOr::T(answer) = answer else { continue };
                if is_error(status) {
                    answer.content = problem_answer().content;
                }
                // OpenAPI asks every answer for a description.
                if answer.description.is_empty() {
                    answer.description = status
                        .parse::<u16>()
                        .ok()
                        .and_then(|code| axum::http::StatusCode::from_u16(code).ok())
                        .and_then(|code| code.canonical_reason())
                        .unwrap_or("The answer.")
                        .to_owned();
                }
            }
        }
    }
}

/// The shared answers an operation can give, judged by its access rule, its
/// body and its parameters.
fn shared_answers(rule: Option<Rule>, operation: &Operation) -> Vec<&'static Shared> {
    let mut answers = Vec::new();
    if !matches!(rule, Some(Rule::Public)) {
        answers.extend([&UNAUTHENTICATED, &FORBIDDEN, &TOO_MANY]);
    }
    let parameters = operation.parameters.iter().flatten();
    let (mut in_path, mut in_query, mut paged) = (false, false, false);
    for parameter in parameters {
        let RefOr::T(parameter) = parameter else {
            continue;
        };
        in_path |= parameter.parameter_in == ParameterIn::Path;
        in_query |= parameter.parameter_in == ParameterIn::Query;
        paged |= parameter.parameter_in == ParameterIn::Query && parameter.name == "cursor";
    }
    if in_path || paged {
        answers.push(&NOT_FOUND);
    }
    if in_query {
        answers.extend([&BAD_REQUEST, &UNPROCESSABLE]);
    }
    if operation.request_body.is_some() {
        answers.extend([
            &BAD_REQUEST,
            &TOO_LARGE,
            &UNSUPPORTED_MEDIA_TYPE,
            &UNPROCESSABLE,
        ]);
    }
    answers.extend([&INTERNAL, &UNAVAILABLE]);
    answers
}

impl Shared {
    fn response(&self) -> Response {
        let mut response = ResponseBuilder::new()
            .description(self.description)
            .content(PROBLEM_JSON, problem_content());
        if self.status == TOO_MANY.status {
            response = response.header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                    .description(Some("Seconds to wait before trying again."))
                    .build(),
            );
        }
        if self.status == UNAUTHENTICATED.status {
            response = response.header(
                "WWW-Authenticate",
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .description(Some("`Bearer`, when the credential itself was refused."))
                    .build(),
            );
        }
        response.build()
    }
}

fn problem_content() -> Content {
    Content::new(Some(Ref::from_schema_name("Problem")))
}

/// An answer whose only content is problem JSON.
fn problem_answer() -> Response {
    ResponseBuilder::new()
        .content(PROBLEM_JSON, problem_content())
        .build()
}

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5') || status == "default"
}

/// Each operation of a path with its method as the access rules spell it.
fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (axum::http::Method, &mut Operation)> {
    use axum::http::Method;
    [
        (Method::GET, &mut item.get),
        (Method::PUT, &mut item.put),
        (Method::POST, &mut item.post),
        (Method::DELETE, &mut item.delete),
        (Method::OPTIONS, &mut item.options),
        (Method::HEAD, &mut item.head),
        (Method::PATCH, &mut item.patch),
        (Method::TRACE, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_mut().map(|operation| (method, operation)))
}

#[cfg(test)]
mod tests {
    //! Walks the served document: an operation that cannot say how it fails
    //! is a regression, whoever adds it.

    use serde_json::Value;

    fn document() -> Value {
        super::super::router().1
    }

    /// An answer, its `$ref` to a shared one followed.
    fn resolved<'a>(document: &'a Value, answer: &'a Value) -> &'a Value {
        match answer["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap();
                &document["components"]["responses"][name]
            }
            None => answer,
        }
    }

    #[test]
    fn every_operation_documents_its_refusals_as_problem_json() {
        let document = document();
        let mut operations = 0;
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                operations += 1;
                let at = format!("{} {path}", method.to_uppercase());
                let answers = operation["responses"].as_object().unwrap();
                let has = |status: &str| answers.contains_key(status);
                for status in ["401", "403", "429", "500", "503"] {
                    assert!(has(status), "{at} does not document {status}");
                }
                assert!(
                    answers.keys().any(|s| s.starts_with('2')),
                    "{at} documents no success"
                );
                if operation.get("requestBody").is_some() {
                    for status in ["400", "413", "415", "422"] {
                        assert!(
                            has(status),
                            "{at} takes a body but does not document {status}"
                        );
                    }
                }
                let parameters = operation["parameters"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if parameters.iter().any(|p| p["in"] == "path") {
                    assert!(has("404"), "{at} takes an id but does not document 404");
                }
                if parameters.iter().any(|p| p["in"] == "query") {
                    assert!(
                        has("400") && has("422"),
                        "{at} reads a query but documents no refusal of it"
                    );
                }
                for (status, answer) in answers {
                    let answer = resolved(&document, answer);
                    assert!(
                        answer["description"]
                            .as_str()
                            .is_some_and(|d| !d.is_empty()),
                        "{at} {status} says nothing"
                    );
                    let content = answer["content"].as_object();
                    if status.starts_with('4') || status.starts_with('5') {
                        let media: Vec<&String> =
                            content.into_iter().flat_map(|c| c.keys()).collect();
                        assert_eq!(media, ["application/problem+json"], "{at} {status}");
                        assert_eq!(
                            answer["content"]["application/problem+json"]["schema"]["$ref"],
                            "#/components/schemas/Problem",
                            "{at} {status}"
                        );
                    } else if status != "204" {
                        let schema = &answer["content"]["application/json"]["schema"];
                        assert!(schema.is_object(), "{at} {status} has no JSON schema");
                    }
                }
            }
        }
        assert!(operations > 60, "only {operations} operations walked");
    }

    /// A schema with `$ref`s followed, and the first part of an `allOf`
    /// (the body's own fields; the rest are rules across them).
    fn own_fields<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap();
            return own_fields(document, &document["components"]["schemas"][name]);
        }
        match schema["allOf"].as_array() {
            Some(parts) => own_fields(document, &parts[0]),
            None => schema,
        }
    }

    #[test]
    fn every_operation_has_an_id_of_its_own() {
        let document = document();
        let mut seen = std::collections::BTreeSet::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let id = operation["operationId"].as_str().unwrap_or_default();
                assert!(
                    seen.insert(id.to_owned()),
                    "{} {path}: operationId «{id}» is another operation's too",
                    method.to_uppercase()
                );
            }
        }
    }

    #[test]
    fn every_request_body_refuses_fields_it_does_not_know() {
        let document = document();
        let mut bodies = 0;
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(body) = operation.get("requestBody") else {
                    continue;
                };
                // A provider's post comes in the provider's own format; a
                // Telegram update admits the fields Telegram adds.
                let Some(json) = body["content"].get("application/json") else {
                    continue;
                };
                if path.ends_with("/inbound") {
                    continue;
                }
                bodies += 1;
                let schema = own_fields(&document, &json["schema"]);
                assert_eq!(
                    schema["additionalProperties"],
                    Value::Bool(false),
                    "{} {path}: the body schema admits fields the server refuses",
                    method.to_uppercase()
                );
            }
        }
        assert!(bodies > 30, "only {bodies} bodies walked");
    }
}
