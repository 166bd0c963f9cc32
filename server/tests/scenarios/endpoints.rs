//! Every server function and the fields it takes (`name?`: one it may leave out). The api
//! tests check this is the whole list, so a new server function cannot miss the
//! malformed-request table.

pub const ENDPOINTS: &[(&str, &[&str])] = &[
    ("/api/accept_invitation", &["token", "password", "confirm_password"]),
    ("/api/add_contact", &["member_id", "first_name", "last_name", "relation", "email", "primary?", "send_now?"]),
    ("/api/add_member", &["first_name", "last_name", "email", "phone", "address"]),
    ("/api/add_to_group", &["group_id", "member_id"]),
    ("/api/archive_template", &["template_id"]),
    ("/api/bulk_sends", &[]),
    ("/api/confirm_sign_up", &["token"]),
    ("/api/create_group", &["name"]),
    ("/api/decide_link_request", &["request_id", "approve?"]),
    ("/api/decline_invitation", &["token"]),
    ("/api/dev_mailbox", &[]),
    ("/api/group_details", &["group_id", "round?", "plan?"]),
    ("/api/invitation_preview", &["token"]),
    ("/api/invite_group_owners", &["group_id", "request_key", "template_id?"]),
    ("/api/link_invitation", &["token", "password"]),
    ("/api/link_requests", &[]),
    ("/api/list_groups", &[]),
    ("/api/list_members", &[]),
    ("/api/list_templates", &[]),
    ("/api/login", &["email", "password"]),
    ("/api/logout", &[]),
    ("/api/member_profile", &["member_id"]),
    ("/api/portal_profile", &["member_id?"]),
    ("/api/portal_settings", &[]),
    ("/api/preview_invitation", &["contact_id", "template_id?", "message?"]),
    ("/api/record_decline", &["contact_id", "reason"]),
    ("/api/remove_contact", &["contact_id"]),
    ("/api/remove_from_group", &["group_id", "member_id"]),
    ("/api/resend_invitation", &["contact_id"]),
    ("/api/revoke_invitation", &["contact_id"]),
    ("/api/save_template", &["template_id?", "name", "subject_addition", "body"]),
    ("/api/send_invitation", &["contact_id", "email", "message", "template_id?"]),
    (
        "/api/set_up",
        &[
            "organisation_name",
            "sender_name",
            "sender_email",
            "owner_name",
            "owner_email",
            "password",
            "confirm_password",
        ],
    ),
    ("/api/setup_needed", &[]),
    ("/api/sign_up", &["organisation_id", "email", "password", "confirm_password"]),
    ("/api/sign_up_page", &["organisation_id"]),
    ("/api/sign_up_preview", &["token"]),
    ("/api/unlink_login", &["contact_id"]),
    ("/api/update_contact", &["contact_id", "first_name", "last_name", "relation", "email", "primary?"]),
    ("/api/update_member", &["member_id", "first_name", "last_name", "email", "phone", "address", "primary?"]),
    ("/api/update_portal_settings", &["auto_link", "self_sign_up?", "invite_at_once?"]),
    ("/api/whoami", &[]),
];

/// Fields that hold a number; every other field is text.
pub const NUMBER_FIELDS: &[&str] =
    &["member_id", "contact_id", "group_id", "round", "request_id", "organisation_id", "template_id"];
