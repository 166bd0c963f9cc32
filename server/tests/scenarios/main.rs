//! One scenario suite, two targets: the walking-skeleton flow over real HTTP against the
//! `portico` binary (axum + SQLite file) and against the Worker under `wrangler dev`
//! (workerd + local D1), each sending e-mail to a local stand-in for the e-mail API.
//! A difference between the targets is a bug.

mod api_v1;
mod at_once;
mod declines;
mod delivery;
mod edits;
mod error_links;
mod first_run;
mod flow;
mod headers_and_paths;
mod hostile_text;
mod households;
mod imports;
mod logins;
mod logs;
mod malformed;
mod password_reset;
mod portal;
mod portal_sections;
mod rate_limits;
mod representatives;
mod rounds;
mod sessions;
mod settings;
mod sign_up;
mod staff;
mod target;
mod templates;
mod webhooks;

use target::{Target, TargetKind};

async fn run(kind: TargetKind) {
    let target = Target::start(kind).await;
    first_run::the_first_visitor_sets_up_the_organisation_once(&target).await;
    logs::each_request_is_logged_under_the_id_it_answered_with(&target).await;
    sessions::signing_in_again_ends_the_previous_session(&target).await;
    flow::staff_invites_and_the_member_accepts(&target).await;
    sessions::unlinking_ends_member_sessions_but_not_staff_ones(&target).await;
    password_reset::a_forgotten_password_is_reset_from_the_emailed_link(&target).await;
    logins::the_owner_changes_a_members_login_email(&target).await;
    staff::the_owner_invites_a_security_administrator_who_re_enables_a_link(&target).await;
    portal::a_parent_accepts_for_two_children_and_switches_between_them(&target).await;
    representatives::representatives_are_invited_and_handled_one_by_one(&target).await;
    households::invite_all_owners_of_a_household(&target).await;
    sign_up::a_person_signs_up_and_is_linked_by_their_email(&target).await;
    portal_sections::the_member_sees_what_staff_keep_for_them_while_it_is_shown(&target).await;
    templates::staff_preview_and_send_an_invitation_from_a_template(&target).await;
    rounds::staff_search_then_invite_everyone_found_once(&target).await;
    rounds::a_round_larger_than_a_batch_reaches_everyone_once(&target).await;
    rounds::rounds_sent_at_the_same_moment_invite_each_person_once(&target).await;
    delivery::a_refused_recipient_fails_alone_and_says_so(&target).await;
    delivery::an_address_bounces_staff_fix_it_and_the_round_goes_to_the_new_one(&target).await;
    declines::a_member_declines_and_staff_reinvite(&target).await;
    edits::a_new_email_address_revokes_the_pending_link(&target).await;
    flow::bad_input_is_refused_with_messages_and_writes_nothing(&target).await;
    flow::early_answers_leave_the_connection_usable(&target).await;
    error_links::error_links_show_only_our_own_errors(&target).await;
    headers_and_paths::every_response_carries_the_security_headers(&target).await;
    headers_and_paths::the_bundle_is_sent_compressed_and_cached_for_good(&target).await;
    headers_and_paths::each_page_has_one_address(&target).await;
    headers_and_paths::every_page_with_a_token_in_its_address_sends_no_referrer(&target).await;
    malformed::every_malformed_call_is_a_client_error_and_writes_nothing(&target).await;
    settings::the_owner_changes_the_sender_and_how_long_links_work(&target).await;
    api_v1::another_system_reads_and_adds_members_with_a_key(&target).await;
    imports::the_owner_imports_a_spreadsheet_and_the_same_file_again_changes_nothing(&target).await;
    at_once::staff_at_several_desks_are_each_answered(&target).await;
    // Late: it gives the organisation a hostile name.
    hostile_text::hostile_text_is_shown_as_text_everywhere(&target).await;
    rate_limits::a_flood_locks_unknown_browsers_out_of_an_account_but_not_its_own(&target).await;
    // Last: the e-mails it leaves to be retried arrive at the stand-in later, out of turn.
    delivery::a_busy_or_down_provider_leaves_the_invitation_waiting_to_be_retried(&target).await;
    // A panic in the Worker shows as a critical error, after which edge/worker.js starts the
    // WASM instance again; on the server, as a panic message. Neither may happen.
    let log = target.log();
    for sign in ["panicked", "Reinitializing Wasm application", "Critical"] {
        assert!(!log.contains(sign), "{kind:?} logged {sign:?}:\n{log}");
    }
}

#[tokio::test]
async fn the_flow_on_the_self_hosted_server() {
    run(TargetKind::Server).await;
}

#[tokio::test]
async fn webhooks_on_the_self_hosted_server() {
    webhooks::run(TargetKind::Server).await;
}

#[tokio::test]
async fn webhooks_on_the_worker_under_wrangler_dev() {
    webhooks::run(TargetKind::Worker).await;
}

#[tokio::test]
async fn the_flow_on_the_worker_under_wrangler_dev() {
    run(TargetKind::Worker).await;
}
