//! Pieces every page uses: form fields with their messages, and the error pages.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::domain::Password;
use crate::domain::html::escape_html;
use crate::error::AppError;

/// The error a plain form (not a server function's: a file upload) came back with, when it
/// was the form posted to `path` (`__path`, signed like any error link by `error_links`).
pub fn posted_error(path: String) -> Signal<Option<AppError>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        let query = query.read();
        (query.get("__path").as_deref() == Some(path.as_str()))
            .then(|| query.get("__err"))
            .flatten()
            .map(|encoded| server_fn::error::ServerFnUrlError::<AppError>::decode_err(&encoded))
    })
}

/// A labelled file input with its hint and its message: the browser's own picker, styled
/// as one of our buttons.
#[component]
pub fn FileField(
    label: &'static str,
    name: &'static str,
    hint: &'static str,
    error: Signal<Option<AppError>>,
    /// What the picker offers (`image/png,image/jpeg,image/webp`); anything when not given.
    #[prop(optional)]
    accept: Option<&'static str>,
) -> impl IntoView {
    let (hint_id, error_id) = (format!("{name}-hint"), format!("{name}-error"));
    view! {
        <div class="field file-field" class:has-error=move || error.get().is_some()>
            <label for=name>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input id=name name=name type="file" accept=accept required aria-describedby=format!("{hint_id} {error_id}") />
            <p class="field-error" id=error_id role="alert">{move || error.get().and_then(|e| e.field_message(name))}</p>
        </div>
    }
}

/// The latest error of a form's action, as a signal.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// A field's message, and its value: what was typed when the form came back with errors,
/// else the value it started with.
fn field_state(
    name: &'static str,
    error: Signal<Option<AppError>>,
    initial: Option<String>,
) -> (impl Fn() -> Option<String> + Copy, impl Fn() -> String + Clone) {
    let initial = initial.unwrap_or_default();
    let message = move || error.get().and_then(|e| e.field_message(name));
    let value = move || error.get().and_then(|e| e.kept_value(name)).unwrap_or_else(|| initial.clone());
    (message, value)
}

/// A labelled input with its message next to it. Without JavaScript the message and what
/// was typed come back through the page URL; with it, straight from the action.
///
/// `check` is a rule run in the browser once the page is interactive: when the person
/// leaves the field, and then as they type until the mistake is fixed, so it shows before
/// the form is sent. The server applies the same rule whatever the browser did.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] check: Option<Callback<String, Option<String>>>,
    /// The element's id when the page has several fields of this name (one per card).
    #[prop(optional, into)]
    id: Option<String>,
    /// The `<datalist>` of suggestions it offers.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let (sent_message, shown_value) = field_state(name, error, value);
    let id = id.unwrap_or_else(|| name.to_owned());
    let live_message = RwSignal::new(None::<String>);
    // Once the rule has looked at what is typed now, its verdict replaces the message the
    // form came back with: that one was about the text before.
    let rechecked = RwSignal::new(false);
    let recheck = move |ev: leptos::ev::Event, only_if_shown: bool| {
        let shown = live_message.with_untracked(Option::is_some) || sent_message().is_some();
        if let Some(check) = check
            && (!only_if_shown || shown)
        {
            live_message.set(check.run(event_target_value(&ev)));
            rechecked.set(true);
        }
    };
    let message = move || if rechecked.get() { live_message.get() } else { sent_message() };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}{(!required).then_some(view! { <span class="optional">" (optional)"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                prop:value=shown_value.clone()
                value=shown_value
                autocomplete=autocomplete
                list=list
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described_by
                on:change=move |ev| recheck(ev, false)
                on:input=move |ev| recheck(ev, true)
            />
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// A link (or a key) to pass on by hand: selectable text, and a button that copies it (with
/// JavaScript; without, the text is selected and copied as any other). `button`: what the
/// button says, "Copy link" unless given.
#[island]
pub fn CopyableLink(link: String, label: String, #[prop(optional)] button: Option<String>) -> impl IntoView {
    let button = button.unwrap_or_else(|| "Copy link".into());
    let copied = RwSignal::new(false);
    let to_copy = link.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().clipboard().write_text(&to_copy);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &to_copy;
    };
    view! {
        <label class="visually-hidden" for="new-link">{label}</label>
        <input id="new-link" class="copyable" type="text" readonly value=link />
        <button type="button" class="button" on:click=copy>{move || if copied.get() { "Copied".to_owned() } else { button.clone() }}</button>
    }
}

/// A new password and its repeat (`password`, `confirm_password`), checked as the person
/// types with the rules the server applies on submit (the server also refuses common ones).
/// An island: the only part of its form that runs in the browser. `sent` is the form's
/// error when it came back from the server.
#[island]
pub fn NewPasswordFields(sent: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(sent);
    let chosen = RwSignal::new(String::new());
    let check_password = Callback::new(move |typed: String| {
        let problem = Password::parse(&typed).err().map(str::to_owned);
        chosen.set(typed);
        problem
    });
    let check_repeat = Callback::new(move |typed: String| {
        chosen.with_untracked(|chosen| Password::check_repeat(chosen, &typed).err().map(str::to_owned))
    });
    view! {
        <Field
            label="Password"
            name="password"
            kind="password"
            autocomplete="new-password"
            hint="At least 8 characters."
            required=true
            check=check_password
            error
        />
        <Field
            label="Repeat the password"
            name="confirm_password"
            kind="password"
            autocomplete="new-password"
            required=true
            check=check_repeat
            error
        />
    }
}

/// A labelled checkbox sending `name=true` when ticked (nothing when not).
#[component]
pub fn Checkbox(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
    /// The form's error, when it sends back whether the box was ticked.
    #[prop(optional)]
    error: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let checked = move || chosen(error, name).map_or(checked, |kept| kept == "true");
    view! {
        <div class="field checkbox">
            <label>
                <input type="checkbox" name=name value="true" checked=checked />
                " "{label}
            </label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
        </div>
    }
}

/// The choice a form sent back with its error kept, if it did.
pub fn chosen(error: Option<Signal<Option<AppError>>>, name: &str) -> Option<String> {
    error?.get()?.kept_value(name)
}

/// A labelled multi-line text box with its message.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The element's id when the page has several boxes of this name (one per card).
    #[prop(optional, into)]
    id: Option<String>,
    /// Lines shown (4 when not given).
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let (message, shown_value) = field_state(name, error, value);
    let id = id.unwrap_or_else(|| name.to_owned());
    let error_id = format!("{id}-error");
    // The renderer writes a textarea's children unescaped (they are raw text to a browser's
    // parser): given as children, a `</textarea>` in the text would end the box and make
    // the rest live markup. So the text goes in as escaped markup, never as children.
    let shown_markup = {
        let shown_value = shown_value.clone();
        move || escape_html(&shown_value())
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}{(!required).then_some(view! { <span class="optional">" (optional)"</span> })}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows.unwrap_or(4)
                required=required
                prop:value=shown_value
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=error_id.clone()
                inner_html=shown_markup
            ></textarea>
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// The form-level message: what went wrong, and for field mistakes a summary linking each
/// message to its field (shown next to it too). The page comes back with it focused
/// (`autofocus` works without JavaScript), so a screen reader starts there.
#[component]
pub fn FormAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let fields = e.field_errors();
            view! {
                <div class="alert" role="alert" tabindex="-1" autofocus>
                    <p>{e.to_string()}</p>
                    {(!fields.is_empty()).then(|| view! {
                        <ul class="error-list">
                            {fields.into_iter().map(|f| view! { <li><a href=format!("#{}", f.field)>{f.message}</a></li> }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    }
}

/// What the action just done did ("Settings saved"), on the page after it, once
/// (`web::notices`). Read where the page is rendered; the browser has nothing to add.
#[component]
pub fn ActionNotice() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let notice = use_context::<crate::request::notices::Notice>().map(|notice| notice.0);
    #[cfg(not(feature = "ssr"))]
    let notice = None::<String>;
    notice.map(|text| view! { <p class="notice" role="status">{text}</p> })
}

/// What a page shows when its data could not be loaded.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => view! { <Redirect path="/login" /> }.into_any(),
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        AppError::InvalidLink => view! { <InvalidLink /> }.into_any(),
        // The page's address asked for something it cannot show (a filter it does not have).
        AppError::Invalid(form) => {
            set_status(422);
            let said: Vec<String> = form.errors.into_iter().map(|e| e.message).collect();
            view! { <p class="alert" role="alert">{said.join(" ")}</p> }.into_any()
        }
        other => view! { <p class="alert" role="alert">{other.to_string()}</p> }.into_any(),
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <section class="panel narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing here, or you do not have access to it."</p>
            <p><a class="button secondary" href="/">"Go to the start page"</a></p>
        </section>
    }
}

/// The one page for unknown, expired, used and revoked invitation links.
#[component]
pub fn InvalidLink() -> impl IntoView {
    set_status(404);
    view! {
        <section class="panel narrow">
            <h1>"This link is no longer valid"</h1>
            <p>"It may have expired, been used already, or been replaced by a newer invitation."</p>
            <p>"Already set a password with it? Sign in. Otherwise ask your organisation to send you a new one."</p>
            <p class="actions">
                <a class="button" href="/login">"Sign in"</a>
                <a class="button secondary" href="/forgot-password">"Forgotten your password?"</a>
            </p>
        </section>
    }
}

/// Sets the HTTP status of the page being rendered on the server; nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// E-mail, phone and address, as staff and the member both see them.
#[component]
pub fn ContactDetails(email: Option<String>, phone: Option<String>, address: Option<String>) -> impl IntoView {
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    view! {
        <dl class="details">
            <dt>"E-mail"</dt><dd>{or_dash(email)}</dd>
            <dt>"Phone"</dt><dd>{or_dash(phone)}</dd>
            <dt>"Address"</dt><dd class="address">{or_dash(address)}</dd>
        </dl>
    }
}

/// A timeline, newest first: the member's on their profile, the organisation's on the
/// settings page (`narrow`: as wide as the page's other cards).
#[component]
pub fn Timeline(
    heading: &'static str,
    entries: Vec<crate::domain::timeline::TimelineEntry>,
    #[prop(optional)] narrow: bool,
) -> impl IntoView {
    let list = if entries.is_empty() {
        view! { <p>"Nothing yet."</p> }.into_any()
    } else {
        view! {
            <ol class="timeline">
                {entries
                    .into_iter()
                    .map(|e| view! { <li><span class="when">{e.when}</span>" "{e.what}</li> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="panel" class:narrow=narrow aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{heading}</h2>
            {list}
        </section>
    }
}

/// One `li` a record each (`ul.records`), or the sentence `none` when there is none.
pub fn records_list<T>(items: Vec<T>, none: &'static str, item: impl Fn(T) -> AnyView) -> AnyView {
    if items.is_empty() {
        view! { <p>{none}</p> }.into_any()
    } else {
        view! { <ul class="records">{items.into_iter().map(item).collect_view()}</ul> }.into_any()
    }
}

/// A booking as the member sees it, and staff among past bookings.
pub fn booking_item(booking: crate::records::BookingView) -> AnyView {
    view! {
        <li class:cancelled=booking.cancelled>
            {booking.summary()}{booking.cancelled.then_some(view! { <strong>"Cancelled"</strong> })}
        </li>
    }
    .into_any()
}

/// A kept file's download link, its size and when it was added.
pub fn file_link(file: &crate::records::FileView) -> impl IntoView + use<> {
    view! {
        <a href=file.url.clone() download>{file.name.clone()}</a>
        <span class="muted">{format!("{}, added {}", file.size, file.added_on)}</span>
    }
}
