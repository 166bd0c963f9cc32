//! "Are you sure?" before what cannot be undone (remove, revoke, unlink, cancel, archive).
//!
//! The button is a link to this same page with `?confirm=<key>`: without JavaScript that
//! page comes back with the question open, and only its form posts the action (GET shows,
//! POST acts). Once the page is interactive the link opens the same question as a modal
//! `<dialog>` instead, with "Cancel" focused so Enter or Escape never does harm. A question
//! not asked is not in the page at all (nothing hidden for a reader or a search to find).
//!
//! The question is written by the page from what it already shows, never from the
//! address: `?confirm=` only says which of the page's own questions to open.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use serde::{Deserialize, Serialize};

/// The query parameter naming the question to open.
const CONFIRM_PARAM: &str = "confirm";

/// One question and the form that answers yes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The dialog's id: "confirm-<key>".
    id: String,
    label: String,
    question: String,
    consequence: String,
    to: String,
    fields: Vec<(String, String)>,
}

/// A button that asks first, and the question with the form that does it.
#[component]
pub fn ConfirmFirst(
    /// Unique on the page and safe in an address, e.g. "revoke-12".
    key: String,
    /// What the button says, on the page and in the question: "Revoke invitation".
    label: &'static str,
    /// The question: "Revoke the invitation to Anna Keller?"
    question: String,
    /// Exactly what will happen, in a sentence or two.
    consequence: String,
    /// The address of the server function the confirmed form posts to.
    to: &'static str,
    /// The form's hidden fields (which record).
    fields: Vec<(&'static str, String)>,
) -> impl IntoView {
    let page = use_location().pathname.get_untracked();
    let asked = use_query_map().read_untracked().get(CONFIRM_PARAM).is_some_and(|k| k == key);
    let question = Question {
        id: format!("confirm-{key}"),
        label: label.into(),
        question,
        consequence,
        to: to.into(),
        fields: fields.into_iter().map(|(name, value)| (name.into(), value)).collect(),
    };
    let href = format!("{page}?{CONFIRM_PARAM}={key}#{}", question.id);
    view! {
        <ConfirmOpener question=question.clone() href />
        {asked.then(|| view! { <QuestionDialog question back=page /> })}
    }
}

/// The link that asks; once interactive it opens the question as a modal dialog, and the
/// dialog leaves the page again when it closes.
#[island]
fn ConfirmOpener(question: Question, href: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let (true, Some(dialog)) = (open.get(), dialog.get()) {
            let _ = dialog.show_modal();
        }
    });
    let label = question.label.clone();
    let ask = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        open.set(true);
    };
    let closed = Callback::new(move |_| open.set(false));
    view! {
        <a class="button secondary" href=href aria-haspopup="dialog" on:click=ask>{label}</a>
        {move || open.get().then(|| view! { <QuestionDialog question=question.clone() node_ref=dialog closed /> })}
    }
}

/// The question itself. `back`: opened by the page (no JavaScript), Cancel is a link back
/// to the page as it was; otherwise Cancel closes the dialog.
#[component]
fn QuestionDialog(
    question: Question,
    #[prop(optional)] back: Option<String>,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Dialog>,
    #[prop(optional)] closed: Option<Callback<()>>,
) -> impl IntoView {
    let Question { id, label, question, consequence, to, fields } = question;
    let (title, said) = (format!("{id}-title"), format!("{id}-said"));
    let (title_ref, said_ref) = (title.clone(), said.clone());
    let opened_by_page = back.is_some();
    let cancel = match back {
        Some(page) => view! { <a class="button secondary" href=page autofocus>"Cancel"</a> }.into_any(),
        None => view! {
            <form method="dialog">
                <button type="submit" class="button secondary" autofocus>"Cancel"</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <dialog
            id=id
            class="confirm"
            aria-labelledby=title_ref
            aria-describedby=said_ref
            open=opened_by_page
            node_ref=node_ref
            on:close=move |_| {
                if let Some(closed) = closed {
                    closed.run(());
                }
            }
        >
            <h2 id=title>{question}</h2>
            <p id=said>{consequence}</p>
            <div class="actions">
                <form method="post" action=to>
                    {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
                    <button type="submit" class="button danger">{label}</button>
                </form>
                {cancel}
            </div>
        </dialog>
    }
}
