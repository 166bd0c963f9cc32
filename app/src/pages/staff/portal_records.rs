//! The portal's sections on a member's profile: memberships, bookings and files, with what
//! staff do to them. Every form posts and comes back to the profile.

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::api::portal_records::{
    AddBooking, AddMembership, CancelBooking, RemoveFile, RemoveMembership, ShareFile, member_records,
};
use crate::domain::addresses::upload_path;
use crate::pages::common::{
    Checkbox, Field, FileField, FormAlert, LoadError, action_error, booking_item, file_link, posted_error, records_list,
};
use crate::pages::confirm::ConfirmFirst;
use crate::records::{BookingView, FileView, MembershipView};

#[component]
pub fn PortalRecordsPanel(member_id: i64) -> impl IntoView {
    let records = Resource::new(move || member_id, member_records);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match records.await {
                    Ok(kept) => view! {
                        <Memberships member_id memberships=kept.records.memberships />
                        <Bookings
                            member_id
                            bookings=kept.records.bookings.unwrap_or_default()
                            past=kept.past_bookings
                            shown=kept.bookings_shown
                        />
                        <Files member_id files=kept.records.files.unwrap_or_default() shown=kept.files_shown />
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Memberships(member_id: i64, memberships: Vec<MembershipView>) -> impl IntoView {
    let add = ServerAction::<AddMembership>::new();
    let remove = ServerAction::<RemoveMembership>::new();
    let error = action_error(add);
    let remove_error = action_error(remove);
    view! {
        <section class="panel" aria-labelledby="memberships-heading">
            <h2 id="memberships-heading">"Memberships"</h2>
            <FormAlert error=remove_error />
            {records_list(memberships, "Not enrolled in any programme.", move |m| view! {
                <li>
                    {m.summary()}
                    <ConfirmFirst
                        key=format!("remove-membership-{}", m.id)
                        label="Remove"
                        question=format!("Remove the membership “{}”?", m.summary())
                        consequence="It is deleted from this profile and the member no longer sees it in the portal.".to_owned()
                        to=RemoveMembership::url()
                        fields=vec![("member_id", member_id.to_string()), ("membership_id", m.id.to_string())]
                    />
                </li>
            }.into_any())}
            <details open=move || error.get().is_some()>
                <summary>"Add a membership"</summary>
                <ActionForm action=add>
                    <FormAlert error />
                    <input type="hidden" name="member_id" value=member_id />
                    <Field label="Programme" name="programme" required=true error />
                    <Field label="Level" name="level" hint="Their current level or grade in it." error />
                    <button type="submit" class="button">"Add membership"</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn Bookings(member_id: i64, bookings: Vec<BookingView>, past: Vec<BookingView>, shown: bool) -> impl IntoView {
    let add = ServerAction::<AddBooking>::new();
    let cancel = ServerAction::<CancelBooking>::new();
    let error = action_error(add);
    let cancel_error = action_error(cancel);
    view! {
        <section class="panel" aria-labelledby="bookings-heading">
            <h2 id="bookings-heading">"Upcoming bookings"</h2>
            <HiddenFromMembers shown what="bookings" />
            <FormAlert error=cancel_error />
            {records_list(bookings, "No upcoming bookings.", move |b| view! {
                <li class:cancelled=b.cancelled>
                    {b.summary()}
                    {if b.cancelled {
                        view! { <strong>"Cancelled"</strong> }.into_any()
                    } else {
                        view! {
                            <ConfirmFirst
                                key=format!("cancel-booking-{}", b.id)
                                label="Cancel booking"
                                question=format!("Cancel the booking “{}”?", b.summary())
                                consequence="It stays on the list marked Cancelled, and the member sees it cancelled. A cancelled booking cannot be restored; add it again if needed.".to_owned()
                                to=CancelBooking::url()
                                fields=vec![("member_id", member_id.to_string()), ("booking_id", b.id.to_string())]
                            />
                        }.into_any()
                    }}
                </li>
            }.into_any())}
            {(!past.is_empty()).then(|| view! {
                <details>
                    <summary>"Past bookings"</summary>
                    {records_list(past, "", booking_item)}
                </details>
            })}
            <details open=move || error.get().is_some()>
                <summary>"Add a booking"</summary>
                <ActionForm action=add>
                    <FormAlert error />
                    <input type="hidden" name="member_id" value=member_id />
                    <Field label="What" name="title" required=true hint="A class, a session, an appointment." error />
                    <Field
                        label="Starts"
                        name="starts"
                        kind="datetime-local"
                        required=true
                        hint="Your organisation's own time; the member sees it as written."
                        error
                    />
                    <Field label="Where" name="place" error />
                    <button type="submit" class="button">"Add booking"</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn Files(member_id: i64, files: Vec<FileView>, shown: bool) -> impl IntoView {
    let share = ServerAction::<ShareFile>::new();
    let remove = ServerAction::<RemoveFile>::new();
    let errors = [action_error(share), action_error(remove)];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let upload_path = upload_path(member_id);
    let upload_error = posted_error(upload_path.clone());
    view! {
        <section class="panel" aria-labelledby="files-heading">
            <h2 id="files-heading">"Files"</h2>
            <HiddenFromMembers shown what="files" />
            <FormAlert error />
            {records_list(files, "No files yet.", move |f| view! {
                <li>
                    {file_link(&f)}
                    <span class="muted">{if f.shared { "Shared with the member." } else { "Staff only." }}</span>
                    <ActionForm action=share attr:class="inline-form">
                        <input type="hidden" name="member_id" value=member_id />
                        <input type="hidden" name="file_id" value=f.id />
                        {(!f.shared).then_some(view! { <input type="hidden" name="shared" value="true" /> })}
                        <button type="submit" class="button secondary">
                            {if f.shared { "Stop sharing" } else { "Share with the member" }}
                        </button>
                    </ActionForm>
                    <ConfirmFirst
                        key=format!("remove-file-{}", f.id)
                        label="Remove"
                        question=format!("Remove the file “{}”?", f.name)
                        consequence="The file is deleted: neither staff nor the member can download it any more. This cannot be undone.".to_owned()
                        to=RemoveFile::url()
                        fields=vec![("member_id", member_id.to_string()), ("file_id", f.id.to_string())]
                    />
                </li>
            }.into_any())}
            <form method="post" enctype="multipart/form-data" action=upload_path>
                <FormAlert error=upload_error />
                <FileField
                    label="Add a file"
                    name="file"
                    hint="Up to 1 MiB. Members download it; nothing is opened in the browser."
                    error=upload_error
                />
                <Checkbox label="Share it with the member" name="shared" />
                <button type="submit" class="button">"Upload"</button>
            </form>
        </section>
    }
}

/// Says so when the organisation does not show members this section.
#[component]
fn HiddenFromMembers(shown: bool, what: &'static str) -> impl IntoView {
    (!shown).then(|| {
        view! {
            <p class="muted">
                {format!("Members do not see their {what}: switched off in ")}<a href="/staff/settings">"Settings"</a>"."
            </p>
        }
    })
}
