//! Importing members from a spreadsheet: `/staff/imports` takes the file (and lists the
//! imports so far); `/staff/imports/:id` shows what each column holds (changeable), the dry
//! run of what the import would do, then its progress (following by itself once hydrated)
//! and its report.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::id_param;
use crate::api::imports::{
    ImportProgress, ImportView, Outcome, RunImport, SHOWN_ROWS, import_details, imports, run_import,
};
use crate::domain::addresses::{IMPORT_UPLOAD_PATH, import_mapping_path};
use crate::domain::numbers::{count_of, thousands};
use crate::pages::common::{FileField, FormAlert, LoadError, posted_error};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn ImportsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| imports());
    let error = posted_error(IMPORT_UPLOAD_PATH.to_owned());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let list = match list.await {
                    Ok(list) => list,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel narrow">
                        <p><a href="/staff/members">"← Members"</a></p>
                        <h1>"Import members"</h1>
                        <p>"Bring in the members you keep elsewhere — a school's or practice's records, a spreadsheet — from a CSV file: one line per member, the first line naming the columns. Next you say what each column holds and see what the import would do, before anything changes."</p>
                        <form method="post" enctype="multipart/form-data" action=IMPORT_UPLOAD_PATH>
                            <FormAlert error />
                            <FileField
                                label="CSV file"
                                name="file"
                                hint="Saved from Excel, Numbers or Google Sheets as CSV; up to 100,000 rows. A member already here is found by their external id or e-mail and updated, never added twice."
                                error
                                accept=".csv,text/csv,text/plain"
                            />
                            <button type="submit" class="button">"Upload and check"</button>
                        </form>
                    </section>
                    {(!list.is_empty()).then(|| view! {
                        <section class="panel narrow" aria-labelledby="imports-heading">
                            <h2 id="imports-heading">"Imports so far"</h2>
                            <ul class="plain-list">
                                {list.into_iter().map(|import| view! {
                                    <li>
                                        <a href=format!("/staff/imports/{}", import.id)>{import.file_name}</a>
                                        <span class="muted">{format!(" — {}. {}", import.uploaded, import.state)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let import = id_param("id");
    let details = Resource::new(move || import.get(), import_details);
    view! {
        <Suspense fallback=|| view! { <p>"Reading the file…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(view) => view! { <ImportDetails view /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportDetails(view: ImportView) -> impl IntoView {
    let progress = view.progress;
    let heading = format!("Import of “{}”", view.file_name);
    let uploaded = format!("{} rows, uploaded {}.", thousands(view.rows_total), view.uploaded);
    let body = if progress.started {
        view! { <Progress id=view.id progress outcome=view.outcome /> }.into_any()
    } else {
        view! { <Mapping view /> }.into_any()
    };
    view! {
        <section class="panel wide">
            <p><a href="/staff/imports">"← Imports"</a></p>
            <h1>{heading}</h1>
            <p class="muted">{uploaded}</p>
            {body}
        </section>
    }
}

/// What each column holds, then the dry run of these choices and the button that imports.
#[component]
fn Mapping(view: ImportView) -> impl IntoView {
    let error = posted_error(import_mapping_path(view.id));
    let choices = view.choices.clone();
    let columns = view
        .columns
        .into_iter()
        .enumerate()
        .map(|(i, column)| {
            let id = format!("column-{i}");
            let choices = choices.clone();
            let samples = column.samples.join(" · ");
            view! {
                <tr>
                    <th scope="row"><label for=id.clone()>{column.header}</label></th>
                    <td class="muted">{samples}</td>
                    <td>
                        <select id=id name="column">
                            {choices.into_iter().map(|(slug, label)| {
                                let selected = slug == column.chosen;
                                view! { <option value=slug selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"1. What each column holds"</h2>
        <p>"Guessed from the column names, or as you chose them last time. Change any that are wrong, then save: the dry run below follows."</p>
        <form method="post" action=import_mapping_path(view.id)>
            <FormAlert error />
            <div class="table-scroll">
                <table class="mapping">
                    <thead><tr><th scope="col">"Column in the file"</th><th scope="col">"First rows"</th><th scope="col">"Import as"</th></tr></thead>
                    <tbody>{columns}</tbody>
                </table>
            </div>
            <button type="submit" class="button secondary">"Save columns"</button>
        </form>
        <h2>"2. Dry run: what the import would do"</h2>
        {match view.mapping_problem {
            Some(problem) => view! { <p class="alert" role="alert">{problem}</p> }.into_any(),
            None => view! { <DryRun id=view.id rows_total=view.rows_total file_name=view.file_name outcome=view.outcome /> }.into_any(),
        }}
    }
}

#[component]
fn DryRun(id: i64, rows_total: i64, file_name: String, outcome: Outcome) -> impl IntoView {
    let importing = outcome.added + outcome.updated;
    let consequence = format!(
        "{} added and {} updated now; {} left as they are; {} refused rows are not imported. Members added stay until removed one by one.",
        count_of(outcome.added, "member is", "members are"),
        thousands(outcome.updated),
        thousands(outcome.unchanged),
        thousands(outcome.refused),
    );
    view! {
        <p class="muted">"Nothing has changed yet."</p>
        <OutcomeCounts outcome=outcome.clone() done=false />
        <RefusedRows id outcome />
        <h2>"3. Import"</h2>
        {if importing == 0 {
            view! { <p>"There is nothing to add or update: every row is here already, or refused."</p> }.into_any()
        } else {
            view! {
                <ConfirmFirst
                    key=format!("import-{id}")
                    label="Import"
                    question=format!("Import {} rows from “{file_name}”?", thousands(rows_total))
                    consequence
                    to=RunImport::url()
                    fields=vec![("import", id.to_string())]
                />
            }.into_any()
        }}
    }
}

/// The counts of a dry run (what would happen) or of an import (what did).
#[component]
fn OutcomeCounts(outcome: Outcome, done: bool) -> impl IntoView {
    let (added, updated, unchanged, refused) = if done {
        ("Added", "Updated", "Unchanged", "Refused")
    } else {
        ("To add", "To update", "Unchanged", "Refused")
    };
    view! {
        <dl class="counts">
            <div><dt>{added}</dt><dd>{thousands(outcome.added)}</dd></div>
            <div><dt>{updated}</dt><dd>{thousands(outcome.updated)}</dd></div>
            <div><dt>{unchanged}</dt><dd>{thousands(outcome.unchanged)}</dd></div>
            <div><dt>{refused}</dt><dd>{thousands(outcome.refused)}</dd></div>
        </dl>
    }
}

/// Each refused row with its line and reason (the first `SHOWN_ROWS`), and the CSV of them
/// all to fix and upload again.
#[component]
fn RefusedRows(id: i64, outcome: Outcome) -> impl IntoView {
    (outcome.refused > 0).then(|| {
        let more = (outcome.refused > SHOWN_ROWS as i64)
            .then(|| format!("The first {SHOWN_ROWS} are shown; the file below has them all."));
        view! {
            <h3>"Rows refused"</h3>
            <ul class="refused-rows">
                {outcome.refused_rows.into_iter().map(|(line, reason)| view! {
                    <li><strong>{format!("Line {line}: ")}</strong>{reason}</li>
                }).collect_view()}
            </ul>
            {more.map(|more| view! { <p class="muted">{more}</p> })}
            <p>
                <a class="button secondary" href=format!("/staff/imports/{id}/rows-to-fix.csv") download>
                    "Download the rows to fix (CSV)"
                </a>
            </p>
        }
    })
}

#[component]
fn Progress(id: i64, progress: ImportProgress, outcome: Outcome) -> impl IntoView {
    view! {
        <ImportFollower import=id initial=progress />
        {(!progress.finished).then(|| view! {
            <form method="post" action=RunImport::url()>
                <input type="hidden" name="import" value=id />
                <button type="submit" class="button">"Continue importing"</button>
            </form>
        })}
        <h2>{if progress.finished { "What the import did" } else { "So far" }}</h2>
        <OutcomeCounts outcome=outcome.clone() done=true />
        <RefusedRows id outcome />
        {progress.finished.then(|| view! {
            <p><a class="button" href=format!("/staff/invite-round?import={id}")>"Invite the people just imported"</a></p>
            <p class="muted">"You see who would be invited, and who is skipped and why, before anything is sent."</p>
        })}
    }
}

/// The import's progress; once hydrated, an unfinished import goes on by itself, a few
/// thousand rows per request, and the page shows the report when it is done.
#[island]
fn ImportFollower(import: i64, initial: ImportProgress) -> impl IntoView {
    let progress = RwSignal::new(initial);
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if initial.finished {
            return;
        }
        leptos::task::spawn_local(async move {
            loop {
                match run_import(import).await {
                    Ok(now) => {
                        progress.set(now);
                        if now.finished {
                            let _ = window().location().reload();
                            break;
                        }
                    }
                    Err(error) => {
                        problem.set(Some(error.to_string()));
                        break;
                    }
                }
            }
        });
    });
    view! {
        <div class="card delivery-progress" aria-live="polite">
            <p class="headline">{move || {
                let p = progress.get();
                if p.finished {
                    format!("Imported all {} rows.", thousands(p.rows_total))
                } else {
                    format!("Imported {} of {} rows…", thousands(p.done_rows), thousands(p.rows_total))
                }
            }}</p>
            <progress max=move || progress.get().rows_total.max(1) value=move || progress.get().done_rows aria-label="Rows imported"></progress>
            {move || problem.get().map(|p| view! { <p class="alert" role="alert">{p}</p> })}
        </div>
    }
}
