//! Staff users, tokens and tills on a real SQLite file.

use std::sync::Arc;

use clientele_app::audit::ChangedBy;
use clientele_app::staff::{PasswordCost, StaffUserInput};
use clientele_app::{App, AppError, Clock};
use clientele_domain::store::StoreInput;
use clientele_domain::{Module, Right};
use clientele_store::{AuditQuery, Database, Principal};
use clientele_store_sqlite::SqliteDatabase;

async fn app() -> App {
    let dir = std::env::temp_dir().join(format!("clientele-app-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("staff-{n}.db"));
    let _ = std::fs::remove_file(&path);
    let db = SqliteDatabase::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let app = App::new(Arc::new(db), Clock::new(jiff::tz::TimeZone::UTC))
        .with_password_cost(PasswordCost::Fast);
    app.ensure_built_in_roles().await.unwrap();
    app
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn cli() -> ChangedBy {
    ChangedBy::system("test")
}

fn owner(login: &str, password: &str) -> StaffUserInput {
    StaffUserInput {
        login: login.into(),
        name: None,
        role: "owner".into(),
        password: password.into(),
        stores: vec![],
    }
}

#[tokio::test]
async fn bad_staff_input_names_every_field_and_writes_nothing() {
    let app = app().await;
    let refused = app
        .add_staff_user(
            StaffUserInput {
                login: "a".into(),
                name: None,
                role: "boss".into(),
                password: "short".into(),
                stores: vec!["NOWHERE".into()],
            },
            &cli(),
        )
        .await
        .unwrap_err();
    let AppError::Validation(errors) = refused else {
        panic!("a validation error, not {refused:?}");
    };
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["login", "role", "stores"]);
    let short = app
        .add_staff_user(owner("anna", "short"), &cli())
        .await
        .unwrap_err();
    assert!(matches!(short, AppError::Validation(e) if e.0[0].code == "password_too_short"));
    assert!(app.staff_users().await.unwrap().is_empty());
    let logged = app
        .audit_entries(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(logged.is_empty(), "nothing was changed, nothing is logged");
}

#[tokio::test]
async fn passwords_tokens_and_till_keys() {
    let app = app().await;
    assert_eq!(app.roles().await.unwrap().len(), 6);
    let user = app
        .add_staff_user(owner("Anna", "correct horse battery"), &cli())
        .await
        .unwrap();
    assert_eq!(user.login.as_str(), "anna");
    let twin = app
        .add_staff_user(owner("anna", "another good password"), &cli())
        .await
        .unwrap_err();
    assert!(matches!(
        twin,
        AppError::Conflict {
            field: Some("login"),
            ..
        }
    ));

    assert_eq!(
        app.check_password("ANNA", "correct horse battery")
            .await
            .unwrap()
            .map(|u| u.id),
        Some(user.id)
    );
    assert!(
        app.check_password("anna", "wrong horse battery")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.check_password("nobody", "correct horse battery")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.check_password("not a login!", "x")
            .await
            .unwrap()
            .is_none()
    );

    let (token, secret) = app.create_api_token(user.id, "1C", &cli()).await.unwrap();
    assert!(secret.expose().starts_with("clt_"));
    match app.authenticate(secret.expose()).await.unwrap() {
        Principal::User { user: who, role } => {
            assert_eq!(who.id, user.id);
            assert!(role.permissions.allows(Module::Staff, Right::Edit));
        }
        other => panic!("the token is Anna's, not {other:?}"),
    }
    let (_, other) = app.create_api_token(user.id, "", &cli()).await.unwrap();
    assert_ne!(other, secret, "every token is new");
    app.revoke_api_token(user.id, token.id, &cli())
        .await
        .unwrap();
    assert!(matches!(
        app.authenticate(secret.expose()).await.unwrap_err(),
        AppError::Unauthenticated(_)
    ));
    assert!(app.authenticate(other.expose()).await.is_ok());

    let store = app
        .create_store(
            StoreInput {
                code: "MSK-1".into(),
                name: "Тверская".into(),
                kind: Some("store".into()),
                parent_id: None,
                address: None,
                time_zone: None,
            },
            &clientele_app::audit::ChangedBy::system("test"),
        )
        .await
        .unwrap();
    let (till, key) = app.add_till(store.id, "Касса 1", &cli()).await.unwrap();
    assert_eq!(
        app.authenticate(key.expose()).await.unwrap(),
        Principal::Till(till.clone())
    );
    let (_, rotated) = app.rotate_till_key(till.id, &cli()).await.unwrap();
    assert!(app.authenticate(key.expose()).await.is_err());
    assert!(app.authenticate(rotated.expose()).await.is_ok());
    app.revoke_till(till.id, &cli()).await.unwrap();
    assert!(app.authenticate(rotated.expose()).await.is_err());

    let actions: Vec<String> = app
        .audit_entries(&AuditQuery {
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.entry.action)
        .collect();
    assert_eq!(
        actions,
        [
            "staff.create",
            "token.create",
            "token.create",
            "token.revoke",
            "store.create",
            "till.create",
            "till.rotate_key",
            "till.revoke"
        ]
    );
}

/// Wrong passwords of a real user and any password of an unknown login cost
/// the same argon2 work (a decoy hash), so response time does not tell
/// whether a login exists. Medians of interleaved runs, with the real cost.
#[tokio::test]
async fn unknown_logins_take_as_long_as_wrong_passwords() {
    let app = app().await.with_password_cost(PasswordCost::Standard);
    app.add_staff_user(owner("anna", "correct horse battery"), &cli())
        .await
        .unwrap();
    let time = |login: &'static str| {
        let app = app.clone();
        async move {
            let started = std::time::Instant::now();
            let found = app
                .check_password(login, "wrong horse battery")
                .await
                .unwrap();
            assert!(found.is_none());
            started.elapsed()
        }
    };
    time("nobody").await; // makes the decoy hash once
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        known.push(time("anna").await);
        unknown.push(time("nobody").await);
    }
    known.sort();
    unknown.sort();
    let ratio = known[7].as_secs_f64() / unknown[7].as_secs_f64();
    assert!(
        (0.67..1.5).contains(&ratio),
        "median {:?} for a real login, {:?} for an unknown one",
        known[7],
        unknown[7]
    );
}

#[tokio::test]
async fn sign_in_sign_out_and_lock_out() {
    let app = app().await;
    app.add_staff_user(owner("anna", "correct horse battery"), &cli())
        .await
        .unwrap();
    let signed = app
        .sign_in("Anna", "correct horse battery", "10.0.0.1")
        .await
        .unwrap();
    assert!(signed.secret.expose().starts_with("ses_"));
    let session = app.session(signed.secret.expose()).await.unwrap();
    assert_eq!(session.user.login.as_str(), "anna");
    assert_eq!(session.csrf, signed.csrf);
    app.sign_out(signed.secret.expose()).await.unwrap();
    assert!(matches!(
        app.session(signed.secret.expose()).await.unwrap_err(),
        AppError::Unauthenticated(_)
    ));

    let unknown = app
        .sign_in("nobody", "whatever", "10.0.0.1")
        .await
        .unwrap_err();
    let wrong = app.sign_in("anna", "wrong", "10.0.0.1").await.unwrap_err();
    assert_eq!(
        unknown.to_string(),
        wrong.to_string(),
        "an unknown login and a wrong password read the same"
    );
    for _ in 0..4 {
        assert!(matches!(
            app.sign_in("anna", "wrong", "10.0.0.2").await.unwrap_err(),
            AppError::Unauthenticated(_)
        ));
    }
    assert!(matches!(
        app.sign_in("anna", "correct horse battery", "10.0.0.3")
            .await
            .unwrap_err(),
        AppError::TooManyAttempts { .. }
    ));
    let actions: Vec<String> = app
        .audit_entries(&AuditQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    for action in ["staff.sign_in", "staff.sign_in_failed", "staff.locked_out"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}
