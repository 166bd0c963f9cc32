//! Invitation rounds: the dry run of one from the member list (who will be invited, who is
//! skipped and why) with the button that sends it, a round's kept report with its e-mails'
//! progress, and the history of rounds.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::id_param;
use super::templates::{EmailPreviewCard, TemplateSelect, default_template};
use crate::api::member_list::MemberListQuery;
use crate::api::rounds::{
    ContinueRound, LARGE_ROUND, RoundLine, RoundPlan, RoundProgress, RoundReport, SendRound, bulk_sends,
    delivery_progress, plan_round, round_details,
};
use crate::api::templates::{EmailPreview, TemplateView, list_templates, preview_invitation};
use crate::domain::PortalStatus;
use crate::domain::numbers::{count_of, thousands};
use crate::error::AppError;
use crate::pages::common::{Field, FormAlert, LoadError, action_error};

/// `/staff/invite-round?…`: what the round would do. Nothing is written until "Send".
#[component]
pub fn RoundPlanPage() -> impl IntoView {
    let query = use_query_map();
    let plan = Resource::new(
        move || query.get(),
        |query| {
            // Ticked boxes arrive as `member=1&member=2`; the dry run's own links as `members=1,2`.
            let mut members = query.get_all("member").unwrap_or_default();
            members.extend(query.get("members"));
            plan_round(
                members.join(","),
                query.get("q").unwrap_or_default(),
                query.get("status").unwrap_or_default(),
                query.get("not_registered").is_some_and(|v| v == "true"),
                query.get("ticked").is_some_and(|v| v == "true"),
                query.get("import").and_then(|v| v.parse().ok()).unwrap_or_default(),
            )
        },
    );
    let templates = Resource::new(|| (), |_| list_templates());
    // "Preview" sends the form back here by GET: the template chosen comes back with it.
    let template_id = query.read_untracked().get("template_id").and_then(|t| t.parse::<i64>().ok());
    view! {
        <Suspense fallback=|| view! { <p>"Working out who will be invited…"</p> }>
            {move || Suspend::new(async move {
                let templates = templates.await.unwrap_or_default();
                let shown = template_id.unwrap_or_else(|| default_template(&templates));
                let preview = preview_invitation(0, shown, String::new()).await.ok();
                match plan.await {
                    Ok(plan) => view! { <RoundPlanView plan templates template_id preview /> }.into_any(),
                    Err(error) => match error.field_message("members") {
                        Some(message) => view! { <NoRound message back=list_href(&query.read_untracked()) /> }.into_any(),
                        None => view! { <LoadError error /> }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}

/// A selection that names no round (nothing ticked, a list that is not one): why, and the
/// way back to choose again. Nothing is offered to send.
#[component]
fn NoRound(message: String, back: String) -> impl IntoView {
    view! {
        <section class="panel wide">
            <p><a href="/staff/members">"← Members"</a></p>
            <h1>"Invite selected members"</h1>
            <p class="alert" role="alert">{message}</p>
            <div class="actions">
                <a class="button secondary" href=back>"Back to the member list"</a>
            </div>
        </section>
    }
}

/// The member list as staff left it: its search and filter, which its form sends along.
fn list_href(query: &leptos_router::params::ParamsMap) -> String {
    let (q, status) = (query.get("q").unwrap_or_default(), query.get("status").unwrap_or_default());
    MemberListQuery::parse(&q, &status, "", None).map_or_else(|_| "/staff/members".to_owned(), |list| list.href())
}

#[component]
fn RoundPlanView(
    plan: RoundPlan,
    templates: Vec<TemplateView>,
    template_id: Option<i64>,
    preview: Option<EmailPreview>,
) -> impl IntoView {
    let send = ServerAction::<SendRound>::new();
    let error = action_error(send);
    let invited = plan.will_invite;
    let selection = plan.selection.clone();
    let status = selection.status.map(PortalStatus::slug).unwrap_or_default();
    view! {
        <section class="panel wide">
            <p><a href="/staff/members">"← Members"</a></p>
            <h1>{format!("Invite: {}", plan.description)}</h1>
            <FormAlert error />
            <div class="card report" role="status">
                <p class="headline">{format!("Will invite {}, skip {}.", thousands(invited), thousands(plan.reasons.iter().map(|(_, n)| n).sum::<i64>()))}</p>
                {(!plan.reasons.is_empty()).then(|| view! {
                    <ul class="reasons">
                        {plan.reasons.into_iter().map(|(reason, n)| view! { <li>{format!("{n} skipped: {reason}")}</li> }).collect_view()}
                    </ul>
                })}
            </div>
            <ActionForm action=send>
                <input type="hidden" name="request_key" value=plan.request_key />
                <input type="hidden" name="members" value=selection.members />
                <input type="hidden" name="q" value=selection.q />
                <input type="hidden" name="status" value=status />
                {selection.not_registered.then(|| view! { <input type="hidden" name="not_registered" value="true" /> })}
                {selection.ticked.then(|| view! { <input type="hidden" name="ticked" value="true" /> })}
                {(selection.import > 0).then(|| view! { <input type="hidden" name="import" value=selection.import /> })}
                {(!templates.is_empty()).then(|| view! {
                    <div class="template-choice">
                        <TemplateSelect templates chosen=template_id />
                        <button type="submit" class="button secondary" formmethod="get" formaction="/staff/invite-round">
                            "Preview this template"
                        </button>
                    </div>
                })}
                <SendButton invited error cancel="/staff/members".to_owned() />
            </ActionForm>
            {preview.map(|email| view! { <EmailPreviewCard email /> })}
            <RoundLines lines=plan.lines planned=true />
        </section>
    }
}

/// A dry run's send button — disabled, and looking it, when the round would invite no one —
/// and for a round of more than `LARGE_ROUND` the box where staff type how many to confirm.
#[component]
pub fn SendButton(invited: i64, error: Signal<Option<AppError>>, cancel: String) -> impl IntoView {
    let large = (invited > LARGE_ROUND).then(|| {
        view! {
            <p class="warning">{format!("This round sends {} at once.", count_of(invited, "invitation", "invitations"))}</p>
            <Field label="Type the number of invitations to confirm" name="confirmed_count" required=true error />
        }
    });
    view! {
        {large}
        <div class="actions">
            <button type="submit" class="button" disabled=invited == 0>
                {format!("Send {}", count_of(invited, "invitation", "invitations"))}
            </button>
            <a class="button secondary" href=cancel>"Cancel"</a>
        </div>
    }
}

/// `/staff/bulk-sends/:id`: a round's report, kept; its e-mails' progress follows by itself
/// once the page is hydrated (a reload shows it too).
#[component]
pub fn RoundPage() -> impl IntoView {
    let round = id_param("id");
    let query = use_query_map();
    let asked = move || {
        let query = query.read();
        (
            round.get(),
            query.get("outcome").unwrap_or_default(),
            query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        )
    };
    let report = Resource::new(asked, |(round, outcome, page)| round_details(round, outcome, page));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <RoundReportView report /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoundReportView(report: RoundReport) -> impl IntoView {
    let resume = ServerAction::<ContinueRound>::new();
    let error = action_error(resume);
    let back = match report.group_id {
        Some(group) => view! { <a href=format!("/staff/groups/{group}")>"← The group"</a> }.into_any(),
        None => view! { <a href="/staff/bulk-sends">"← Bulk sends"</a> }.into_any(),
    };
    view! {
        <section class="panel wide">
            <p>{back}</p>
            <h1>{report.description.clone()}</h1>
            <p class="muted">{format!("Sent by {} on {}.", report.sent_by, report.sent_on)}</p>
            <FormAlert error />
            <p class="headline">{format!("Invited {}, skipped {}.", report.invited, report.skipped)}</p>
            <LiveProgress round=report.id initial=report.progress />
            {(report.progress.waiting > 0).then(|| view! {
                <ActionForm action=resume>
                    <input type="hidden" name="round" value=report.id />
                    <p>{format!("{} people are still waiting to be invited.", report.progress.waiting)}</p>
                    <button type="submit" class="button">"Continue sending"</button>
                </ActionForm>
            })}
            <ReportPeople report />
        </section>
    }
}

/// Who the round reached, one outcome at a time (each with its count), a page at a time,
/// and the CSV of what is shown.
#[component]
fn ReportPeople(report: RoundReport) -> impl IntoView {
    let id = report.id;
    // Outcome keys are letters, digits and dashes (the report refuses any other), so they
    // go into an address as they are.
    let query = |outcome: &str, page: i64| {
        let outcome = (!outcome.is_empty()).then(|| format!("outcome={outcome}"));
        let page = (page > 1).then(|| format!("page={page}"));
        let pairs: Vec<String> = outcome.into_iter().chain(page).collect();
        if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
    };
    let address = move |outcome: &str, page: i64| format!("/staff/bulk-sends/{id}{}", query(outcome, page));
    let everyone: i64 = report.outcomes.iter().map(|o| o.count).sum();
    let chosen = report.outcome.clone();
    let chip = move |key: String, label: String, count: i64| {
        let current = (key == chosen).then_some("page");
        view! { <a href=address(&key, 1) aria-current=current>{format!("{label} ({})", thousands(count))}</a> }
    };
    let (page, pages) = (report.page, report.pages());
    let outcome = report.outcome.clone();
    let csv = format!("/staff/bulk-sends/{id}/report.csv{}", query(&outcome, 1));
    view! {
        <nav class="filters" aria-label="Show in the report">
            {chip(String::new(), "Everyone".into(), everyone)}
            {report.outcomes.iter().map(|o| chip(o.key.clone(), o.label.clone(), o.count)).collect_view()}
        </nav>
        <div class="title-row">
            <p class="headline">{report.range()}</p>
            <a class="button secondary" href=csv download>"Download as CSV"</a>
        </div>
        <RoundLines lines=report.lines />
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages of the report">
                {(page > 1).then(|| view! { <a href=address(&outcome, page - 1)>"← Previous 100"</a> })}
                <span>{format!("Page {page} of {pages}")}</span>
                {(page < pages).then(|| view! { <a href=address(&outcome, page + 1)>"Next 100 →"</a> })}
            </nav>
        })}
    }
}

/// How often the live progress asks again while e-mails are on their way.
const PROGRESS_POLL_MS: u64 = 2000;

/// Queued, sent and failed e-mails with a progress bar; once hydrated it asks again every
/// two seconds until nothing is left to send.
#[island]
fn LiveProgress(round: i64, initial: RoundProgress) -> impl IntoView {
    let progress = RwSignal::new(initial);
    let poll = move || {
        leptos::task::spawn_local(async move {
            if let Ok(now) = delivery_progress(round).await {
                progress.set(now);
            }
        })
    };
    Effect::new(move |_| {
        if !progress.get().done() {
            set_timeout(poll, std::time::Duration::from_millis(PROGRESS_POLL_MS));
        }
    });
    view! {
        <div class="card delivery-progress" aria-live="polite">
            <p class="headline">{move || {
                let p = progress.get();
                format!("E-mails: {} sent, {} waiting to be sent, {} could not be delivered.", p.sent, p.queued + p.waiting, p.failed)
            }}</p>
            <progress
                max=move || { let p = progress.get(); (p.queued + p.waiting + p.sent + p.failed).max(1) }
                value=move || { let p = progress.get(); p.sent + p.failed }
                aria-label="E-mails sent"
            ></progress>
        </div>
    }
}

/// Who a round invited (or, `planned`, will invite), and who it skipped and why.
#[component]
pub fn RoundLines(lines: Vec<RoundLine>, #[prop(optional)] planned: bool) -> impl IntoView {
    let shown = lines.len();
    view! {
        <ul class="round-lines">
            {lines.into_iter().map(|l| {
                let said = l.outcome(planned);
                let who = format!("{} ({}), {}", l.contact_name, l.member_name, l.email.unwrap_or_else(|| "no e-mail".into()));
                match l.skipped_because {
                    None => view! { <li class:failed=l.delivery_failed>{format!("{said}: {who}")}</li> }.into_any(),
                    Some(because) => view! { <li>{format!("{said}: {who} — {because}")}</li> }.into_any(),
                }
            }).collect_view()}
        </ul>
        {(shown as i64 >= crate::api::rounds::REPORT_LINES).then(|| view! {
            <p class="muted">{format!("The first {shown} people are listed; the counts above cover everyone.")}</p>
        })}
    }
}

/// Every invitation round sent, newest first, each linking to its report.
#[component]
pub fn BulkSendsPage() -> impl IntoView {
    let rounds = Resource::new(|| (), |_| bulk_sends());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let rounds = match rounds.await {
                    Ok(rounds) => rounds,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel wide">
                        <p><a href="/staff/members">"← Members"</a></p>
                        <h1>"Bulk sends"</h1>
                        {if rounds.is_empty() {
                            view! { <p>"Nothing sent to many at once yet."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="members">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Sent"</th>
                                                <th scope="col">"To"</th>
                                                <th scope="col">"By"</th>
                                                <th scope="col">"Invited"</th>
                                                <th scope="col">"Skipped"</th>
                                                <th scope="col">"Waiting"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rounds.into_iter().map(|r| view! {
                                                <tr>
                                                    <td><a href=format!("/staff/bulk-sends/{}", r.id)>{r.sent_on}</a></td>
                                                    <td>{r.description}</td>
                                                    <td>{r.sent_by}</td>
                                                    <td>{r.invited}</td>
                                                    <td>{r.skipped}</td>
                                                    <td>{r.waiting}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
