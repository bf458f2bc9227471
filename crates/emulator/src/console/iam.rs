//! IAM: users, "Create user" with console access (CreateUser and CreateLoginProfile), a user's
//! security credentials, and "Assign MFA device": the QR code, then two consecutive codes
//! (CreateVirtualMFADevice, then EnableMFADevice), for a user or for the signed-in root user.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;

use super::calls::{self, Api, Refusal};
use super::html::Html;
use super::words::Word;
use super::{Page, layout, redirect};
use crate::mfa;

/// Whose credentials a page is about: an IAM user, or (`None`) the signed-in root user.
type Whose = Option<String>;

fn call(page: &Page<'_>, action: &str, params: &[(&str, &str)]) -> Result<String, Refusal> {
    page.call(Api::Iam, action, params)
}

/// A user as the list shows it.
struct UserRow {
    name: String,
    created: String,
    console: bool,
    mfa: bool,
}

fn users(page: &Page<'_>) -> Vec<UserRow> {
    let Some(account) = page.world().account(page.account()) else {
        return Vec::new();
    };
    let account = account.lock();
    account
        .iam
        .users
        .values()
        .map(|user| UserRow {
            name: user.name.clone(),
            created: super::html::when(user.created),
            console: user.login_profile.is_some(),
            mfa: account
                .iam
                .mfa_devices
                .values()
                .any(|device| device.assigned.as_ref() == Some(&Some(user.name.clone()))),
        })
        .collect()
}

pub fn list(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let users = users(page);
    let mut body = Html::new();
    body.list_heading(
        lang,
        Word::Users,
        users.len(),
        "/iam/users/create",
        Word::CreateUser,
    );
    if users.is_empty() {
        body.element("p", "empty", lang.word(Word::NoUsers));
        return layout::page(page, lang.word(Word::Users), body);
    }
    body.raw("<table class=\"resources\">");
    body.header_row(
        lang,
        &[
            Word::UserName,
            Word::ConsoleAccess,
            Word::MfaCode,
            Word::Created,
        ],
    );
    body.raw("<tbody>");
    let state = |on: bool| lang.word(if on { Word::Enabled } else { Word::Disabled });
    for user in &users {
        body.raw("<tr><td class=\"name\">");
        body.link(&format!("/iam/users/{}", user.name), &user.name);
        body.raw("</td>");
        body.element("td", "", state(user.console));
        body.element("td", "", state(user.mfa));
        body.element("td", "", &user.created);
        body.raw("</tr>");
    }
    body.raw("</tbody></table>");
    layout::page(page, lang.word(Word::Users), body)
}

pub fn create_form(page: &Page<'_>, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::CreateUser));
    body.refusal(problem);
    body.form("/iam/users/create", &page.session.csrf)
        .field(
            lang,
            Word::UserName,
            "user",
            "text",
            page.request.field("user"),
        )
        .choice(
            "checkbox",
            "console",
            "on",
            lang.word(Word::ConsoleAccessBox),
            true,
        )
        .field(lang, Word::ConsolePassword, "password", "password", "")
        .button(lang, Word::CreateUser, "primary")
        .raw("</form></section>");
    layout::page(page, lang.word(Word::CreateUser), body)
}

pub fn create(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let name = page.request.field("user").trim().to_string();
    let console = page.request.form.contains_key("console");
    let password = page.request.field("password");
    let made = call(page, "CreateUser", &[("UserName", &name)]).and_then(|_| {
        if !console {
            return Ok(());
        }
        let profile = call(
            page,
            "CreateLoginProfile",
            &[
                ("UserName", &name),
                ("Password", password),
                ("PasswordResetRequired", "false"),
            ],
        );
        // A password the policy refuses leaves no half-made user behind.
        if profile.is_err() {
            let _ = call(page, "DeleteUser", &[("UserName", &name)]);
        }
        profile.map(|_| ())
    });
    if let Err(problem) = made {
        let mut response = create_form(page, Some(&problem));
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return response;
    }
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("p", "alert success", lang.word(Word::UserCreated));
    body.raw("<dl class=\"details\">");
    let host = page
        .request
        .headers
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or(super::HOST);
    for (word, value) in [
        (Word::SignInUrl, format!("http://{host}/signin")),
        (Word::AccountId, page.account().to_string()),
        (Word::UserName, name.clone()),
    ] {
        body.element("dt", "", lang.word(word));
        body.element("dd", "", &value);
    }
    body.raw("</dl><p>");
    body.link(&format!("/iam/users/{name}"), &name);
    body.raw("</p></section>");
    layout::page(page, lang.word(Word::CreateUser), body)
}

/// A user's page, or (`whose` = `None`) the root user's own security credentials.
pub fn credentials(page: &Page<'_>, whose: Whose) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(account) = page.world().account(page.account()) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let (console, devices) = {
        let account = account.lock();
        let console = match &whose {
            Some(name) => match account.iam.users.get(name) {
                Some(user) => user.login_profile.is_some(),
                None => return page.refuse(StatusCode::NOT_FOUND, Word::NotFound),
            },
            None => true,
        };
        let devices: Vec<String> = account
            .iam
            .mfa_devices
            .values()
            .filter(|device| device.assigned.as_ref() == Some(&whose))
            .map(|device| device.serial.clone())
            .collect();
        (console, devices)
    };
    let keys: Vec<(String, bool)> = {
        let shared = page.world().lock();
        crate::iam::users::access_keys(&shared.keys, page.account(), &whose)
            .into_iter()
            .map(|(id, key)| (id, key.active))
            .collect()
    };
    let title = match &whose {
        Some(name) => name.clone(),
        None => lang.word(Word::MyCredentials).to_string(),
    };
    let mfa_path = mfa_path(&whose);
    let base = base_path(&whose);
    let mut body = Html::new();
    body.element("h1", "", &title);
    body.raw("<section class=\"panel\">");
    body.element("h2", "", lang.word(Word::SecurityCredentials));
    body.raw("<dl class=\"details\">");
    body.element("dt", "", lang.word(Word::ConsoleAccess));
    body.element(
        "dd",
        "",
        lang.word(if console {
            Word::Enabled
        } else {
            Word::Disabled
        }),
    );
    body.raw("</dl>");
    if console && whose.is_some() {
        body.form(&format!("{base}/login-profile/delete"), &page.session.csrf)
            .button(lang, Word::RemoveConsoleAccess, "link")
            .raw("</form>");
    }
    body.raw("</section><section class=\"panel\"><div class=\"toolbar\">");
    body.element("h2", "", lang.word(Word::MfaDevices));
    body.link(&mfa_path, lang.word(Word::AssignMfa));
    body.raw("</div>");
    if devices.is_empty() {
        body.element("p", "empty", lang.word(Word::NoMfa));
    }
    for serial in &devices {
        body.element("p", "id", serial);
        body.form(&format!("{base}/mfa-remove"), &page.session.csrf)
            .hidden("serial", serial)
            .button(lang, Word::Deactivate, "link")
            .raw("</form>");
    }
    body.raw("</section><section class=\"panel\">");
    body.element("h2", "", lang.word(Word::AccessKeys));
    for (id, active) in &keys {
        body.element(
            "p",
            "id",
            &format!(
                "{id} · {}",
                lang.word(if *active {
                    Word::Enabled
                } else {
                    Word::Disabled
                })
            ),
        );
    }
    body.raw("</section>");
    if whose.is_some() {
        body.form(&format!("{base}/delete"), &page.session.csrf)
            .button(lang, Word::DeleteUser, "primary")
            .raw("</form>");
    }
    layout::page(page, &title, body)
}

/// Step one of "Assign MFA device": the device's name.
pub fn mfa_form(page: &Page<'_>, whose: Whose, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    if let Some(name) = &whose
        && !users(page).iter().any(|user| user.name == *name)
    {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    }
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::AssignMfa));
    body.refusal(problem);
    body.form(&mfa_path(&whose), &page.session.csrf)
        .field(
            lang,
            Word::DeviceName,
            "device",
            "text",
            page.request.field("device"),
        )
        .button(lang, Word::Next, "primary")
        .raw("</form></section>");
    layout::page(page, lang.word(Word::AssignMfa), body)
}

fn mfa_path(whose: &Whose) -> String {
    format!("{}/mfa", base_path(whose))
}

/// The page of a user, or of the root user's own credentials.
fn base_path(whose: &Whose) -> String {
    match whose {
        Some(name) => format!("/iam/users/{name}"),
        None => "/iam/security-credentials".to_string(),
    }
}

fn back_or_refuse(
    page: &Page<'_>,
    whose: &Whose,
    done: Result<(), Refusal>,
) -> Response<Full<Bytes>> {
    match done {
        Ok(()) => redirect(&base_path(whose)),
        Err(problem) => {
            let mut body = Html::new();
            body.refusal(Some(&problem));
            body.link(&base_path(whose), page.lang.word(Word::Cancel));
            let mut response = layout::page(page, page.lang.word(Word::SecurityCredentials), body);
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// Removes an MFA device as the console does: deactivated, then the virtual device deleted.
pub fn remove_mfa(page: &Page<'_>, whose: Whose) -> Response<Full<Bytes>> {
    let serial = page.request.field("serial").to_string();
    let mut params = vec![("SerialNumber", serial.as_str())];
    if let Some(name) = &whose {
        params.push(("UserName", name));
    }
    let done = call(page, "DeactivateMFADevice", &params)
        .and_then(|_| call(page, "DeleteVirtualMFADevice", &[("SerialNumber", &serial)]))
        .map(|_| ());
    back_or_refuse(page, &whose, done)
}

pub fn remove_console_access(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    let done = call(page, "DeleteLoginProfile", &[("UserName", name)]).map(|_| ());
    back_or_refuse(page, &Some(name.to_string()), done)
}

/// Deletes a user as the console does: first what IAM will not delete a user with (its
/// password, MFA devices and access keys), then the user.
pub fn delete_user(page: &Page<'_>, name: &str) -> Response<Full<Bytes>> {
    let held = page.world().account(page.account()).and_then(|account| {
        let account = account.lock();
        let user = account.iam.users.get(name)?;
        let devices: Vec<String> = account
            .iam
            .mfa_devices
            .values()
            .filter(|device| device.assigned.as_ref() == Some(&Some(name.to_string())))
            .map(|device| device.serial.clone())
            .collect();
        Some((user.login_profile.is_some(), devices))
    });
    let Some((password, devices)) = held else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let keys: Vec<String> = {
        let shared = page.world().lock();
        crate::iam::users::access_keys(&shared.keys, page.account(), &Some(name.to_string()))
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    let mut done = Ok(());
    if password {
        done = call(page, "DeleteLoginProfile", &[("UserName", name)]).map(|_| ());
    }
    for serial in &devices {
        done = done
            .and_then(|()| {
                call(
                    page,
                    "DeactivateMFADevice",
                    &[("UserName", name), ("SerialNumber", serial)],
                )
            })
            .and_then(|_| call(page, "DeleteVirtualMFADevice", &[("SerialNumber", serial)]))
            .map(|_| ());
    }
    for key in &keys {
        done = done
            .and_then(|()| {
                call(
                    page,
                    "DeleteAccessKey",
                    &[("UserName", name), ("AccessKeyId", key)],
                )
            })
            .map(|_| ());
    }
    match done.and_then(|()| call(page, "DeleteUser", &[("UserName", name)])) {
        Ok(_) => redirect("/iam/users"),
        Err(problem) => back_or_refuse(page, &Some(name.to_string()), Err(problem)),
    }
}

/// Creates the virtual device and shows its QR code with the two code fields; or, with a
/// `serial` and two codes in the form, enables it.
pub fn mfa_step(page: &Page<'_>, whose: Whose) -> Response<Full<Bytes>> {
    if !page.request.field("serial").is_empty() {
        return enable(page, whose);
    }
    let device = page.request.field("device").trim().to_string();
    let created = call(
        page,
        "CreateVirtualMFADevice",
        &[("VirtualMFADeviceName", &device)],
    );
    match created.map(|xml| calls::first(&xml, "SerialNumber")) {
        Ok(Some(serial)) => codes_form(page, &whose, &serial, None),
        Ok(None) => page.refuse(StatusCode::INTERNAL_SERVER_ERROR, Word::NotFound),
        Err(problem) => mfa_form(page, whose, Some(&problem)),
    }
}

/// The QR code of a device not yet enabled, drawn from its seed, and the two code fields.
fn codes_form(
    page: &Page<'_>,
    whose: &Whose,
    serial: &str,
    problem: Option<&Refusal>,
) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let device = page.world().account(page.account()).and_then(|account| {
        let account = account.lock();
        let device = account.iam.mfa_devices.get(serial)?;
        device
            .assigned
            .is_none()
            .then(|| (device.name.clone(), device.seed.clone()))
    });
    let Some((name, seed)) = device else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let uri = mfa::otpauth_uri(&name, page.account(), &seed);
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::AssignMfa));
    body.refusal(problem);
    body.element("p", "help", lang.word(Word::ScanQr));
    if let Some(png) = mfa::qr_png(&uri) {
        let source = format!("data:image/png;base64,{}", STANDARD.encode(png));
        body.image(&source, "QR code");
    }
    body.raw("<dl class=\"details\">");
    body.element("dt", "", lang.word(Word::SecretKey));
    body.element("dd", "id", &mfa::base32(&seed));
    body.element("dt", "", lang.word(Word::Identifier));
    body.element("dd", "id", serial);
    body.raw("</dl>");
    body.form(&mfa_path(whose), &page.session.csrf)
        .hidden("serial", serial)
        .field(lang, Word::Code1, "code1", "text", "")
        .field(lang, Word::Code2, "code2", "text", "")
        .button(lang, Word::AddMfa, "primary")
        .raw("</form></section>");
    layout::page(page, lang.word(Word::AssignMfa), body)
}

fn enable(page: &Page<'_>, whose: Whose) -> Response<Full<Bytes>> {
    let serial = page.request.field("serial").to_string();
    let mut params = vec![
        ("SerialNumber", serial.as_str()),
        ("AuthenticationCode1", page.request.field("code1").trim()),
        ("AuthenticationCode2", page.request.field("code2").trim()),
    ];
    if let Some(name) = &whose {
        params.push(("UserName", name));
    }
    match call(page, "EnableMFADevice", &params) {
        Ok(_) => redirect(&match &whose {
            Some(name) => format!("/iam/users/{name}"),
            None => "/iam/security-credentials".to_string(),
        }),
        Err(problem) => {
            let mut response = codes_form(page, &whose, &serial, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}
