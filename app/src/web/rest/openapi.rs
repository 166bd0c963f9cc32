//! The API's OpenAPI 3.1 document, generated from the handlers' annotations in the server
//! build only. Both targets serve the copy in `openapi.json` (`GET /api/v1/openapi.json`);
//! a server test keeps that copy equal to what this generates (`make openapi` rewrites it).

use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type};

use super::{contacts, events, invitations, members, rounds};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico API",
        version = "1",
        description = "Members, their contacts, invitations, rounds and the timeline of one organisation, \
                       for another system holding an API key (`Authorization: Bearer pk_live_…`). JSON in \
                       and out; errors as `application/problem+json` (RFC 9457); an `Idempotency-Key` on \
                       a write makes a retry within 24 hours return the first answer."
    ),
    paths(
        members::list, members::create, members::get, members::update, members::archive, members::restore,
        contacts::list, contacts::create, contacts::update, contacts::remove,
        invitations::list, invitations::create, invitations::get, invitations::resend, invitations::revoke,
        rounds::dry_run, rounds::send, rounds::get, rounds::resume,
        events::list,
        super::document,
    ),
    components(schemas(super::ProblemBody, crate::error::FieldError)),
    modifiers(&Conventions)
)]
struct ApiDoc;

/// What every route shares, written once: the key, the problems, the Idempotency-Key.
struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = doc.components.as_mut() {
            let mut bearer = Http::new(HttpAuthScheme::Bearer);
            bearer.bearer_format = Some("pk_live_…".into());
            components.add_security_scheme("api_key", SecurityScheme::Http(bearer));
        }
        for (path, item) in doc.paths.paths.iter_mut() {
            let public = path.ends_with("/openapi.json");
            let reads = [&mut item.get];
            let writes = [&mut item.post, &mut item.patch, &mut item.delete];
            for operation in reads.into_iter().flatten() {
                share(operation, public, false);
            }
            for operation in writes.into_iter().flatten() {
                share(operation, public, true);
            }
        }
    }
}

fn share(operation: &mut Operation, public: bool, writes: bool) {
    // Unique across the document: `members.list`, `contacts.list`…
    let tag = operation.tags.iter().flatten().next().cloned().unwrap_or_default();
    operation.operation_id = operation.operation_id.take().map(|handler| format!("{tag}.{handler}"));
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            let reason = status.parse().ok().and_then(|s| http::StatusCode::from_u16(s).ok());
            response.description = reason.and_then(|s| s.canonical_reason()).unwrap_or_default().to_owned();
        }
    }
    if !public {
        operation.security = Some(vec![SecurityRequirement::new("api_key", Vec::<String>::new())]);
    }
    let problem = ContentBuilder::new().schema(Some(Ref::from_schema_name("ProblemBody"))).build();
    let response = ResponseBuilder::new()
        .description("A problem: what was wrong (`detail`) and, for fields, each one (`errors`).")
        .content("application/problem+json", problem)
        .build();
    operation.responses.responses.insert("4XX".into(), response.into());
    if writes {
        let key = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some("A retry with the same key within 24 hours returns the first answer."))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255))))
            .build();
        operation.parameters.get_or_insert_with(Vec::new).push(key);
    }
}

/// The document, as the server's test compares it with `openapi.json`.
pub fn generated() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}
