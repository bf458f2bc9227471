//! Who is in the class: the class code, and each learner who joined with their name, language
//! and account, in an SQLite database beside the emulator's state (`classroom.db`). A join is
//! committed (synchronously, to the disk) before the learner is told they are in, so a
//! `kill -9` of the server loses no one who was answered.

use std::path::Path;
use std::sync::Mutex;

use anyhow::Context as _;
use rusqlite::{Connection, OptionalExtension, params};

use cloudlings_emulator::Credentials;

/// The database's file name, in the state folder.
pub const FILE_NAME: &str = "classroom.db";

/// Letters that read the same on any projector: no 0/O, 1/I/L.
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// One learner of the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    /// Their number in the class, from 1 in the order they joined.
    pub id: i64,
    pub name: String,
    /// `en` or `ko`.
    pub lang: String,
    /// Their emulated AWS account.
    pub account: String,
}

/// The class, kept in its database.
#[derive(Debug)]
pub struct Roster {
    connection: Mutex<Connection>,
    code: String,
    /// The instructor's token: their page's address carries it once, their cookie after.
    teacher: String,
}

impl Roster {
    /// The class kept in `dir`, or a new one there with a new code.
    pub fn open(dir: &Path) -> anyhow::Result<Roster> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(FILE_NAME);
        let connection = Connection::open(&path)
            .with_context(|| format!("cannot open the class in {}", path.display()))?;
        Roster::with(connection)
    }

    /// A class kept in memory only.
    pub fn in_memory() -> anyhow::Result<Roster> {
        Roster::with(Connection::open_in_memory()?)
    }

    fn with(connection: Connection) -> anyhow::Result<Roster> {
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS class (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS learners (
                 id INTEGER PRIMARY KEY,
                 name TEXT NOT NULL,
                 lang TEXT NOT NULL,
                 account TEXT NOT NULL UNIQUE,
                 joined TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS keys (
                 learner INTEGER PRIMARY KEY REFERENCES learners (id),
                 access_key TEXT NOT NULL,
                 secret TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS reports (
                 learner INTEGER PRIMARY KEY REFERENCES learners (id),
                 report TEXT NOT NULL,
                 updated TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS sessions (
                 token_sha256 TEXT PRIMARY KEY,
                 learner INTEGER NOT NULL REFERENCES learners (id),
                 opened TEXT NOT NULL
             );",
        )?;
        let code: Option<String> = connection
            .query_row("SELECT value FROM class WHERE key = 'code'", [], |row| {
                row.get(0)
            })
            .optional()?;
        let code = match code {
            Some(code) => code,
            None => {
                let code = new_code();
                connection.execute(
                    "INSERT INTO class (key, value) VALUES ('code', ?1)",
                    params![code],
                )?;
                code
            }
        };
        let teacher: Option<String> = connection
            .query_row("SELECT value FROM class WHERE key = 'teacher'", [], |row| {
                row.get(0)
            })
            .optional()?;
        let teacher = match teacher {
            Some(teacher) => teacher,
            None => {
                let teacher = hex::encode(rand::random::<[u8; 24]>());
                connection.execute(
                    "INSERT INTO class (key, value) VALUES ('teacher', ?1)",
                    params![teacher],
                )?;
                teacher
            }
        };
        Ok(Roster {
            connection: Mutex::new(connection),
            code,
            teacher,
        })
    }

    /// The code learners type to join, `K7Q-XM2`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Whether `typed` is the class code, however it was spaced or cased.
    pub fn admits(&self, typed: &str) -> bool {
        let normal = |code: &str| -> Vec<u8> {
            code.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|byte| byte.to_ascii_uppercase())
                .collect()
        };
        equal(&normal(typed), &normal(&self.code))
    }

    /// The instructor's token.
    pub fn teacher(&self) -> &str {
        &self.teacher
    }

    /// Whether `typed` is the instructor's token.
    pub fn is_teacher(&self, typed: &str) -> bool {
        equal(typed.as_bytes(), self.teacher.as_bytes())
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many learners joined.
    pub fn size(&self) -> anyhow::Result<usize> {
        let count: i64 =
            self.connection()
                .query_row("SELECT COUNT(*) FROM learners", [], |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or_default())
    }

    /// Adds a learner with their account and its keys; committed to the disk when this
    /// returns.
    pub fn join(&self, name: &str, lang: &str, keys: &Credentials) -> anyhow::Result<Learner> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        transaction.execute(
            "INSERT INTO learners (name, lang, account, joined) VALUES (?1, ?2, ?3, ?4)",
            params![name, lang, keys.account, now()],
        )?;
        let id = transaction.last_insert_rowid();
        transaction.execute(
            "INSERT INTO keys (learner, access_key, secret) VALUES (?1, ?2, ?3)",
            params![id, keys.access_key, keys.secret],
        )?;
        transaction.commit()?;
        Ok(Learner {
            id,
            name: name.to_string(),
            lang: lang.to_string(),
            account: keys.account.clone(),
        })
    }

    /// The learner numbered `id`.
    pub fn learner(&self, id: i64) -> anyhow::Result<Option<Learner>> {
        Ok(self
            .connection()
            .query_row(
                "SELECT id, name, lang, account FROM learners WHERE id = ?1",
                params![id],
                learner_row,
            )
            .optional()?)
    }

    /// The keys of the learner's account, as the class gave them.
    pub fn keys(&self, learner: i64) -> anyhow::Result<Option<Credentials>> {
        Ok(self
            .connection()
            .query_row(
                "SELECT account, access_key, secret FROM keys JOIN learners ON learners.id = keys.learner
                 WHERE learner = ?1",
                params![learner],
                |row| {
                    Ok(Credentials {
                        account: row.get(0)?,
                        access_key: row.get(1)?,
                        secret: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// A new browser session for the learner: the token their cookie carries. Only its
    /// SHA-256 is kept, so the database alone lets no one in.
    pub fn open_session(&self, learner: i64) -> anyhow::Result<String> {
        let token = hex::encode(rand::random::<[u8; 32]>());
        self.connection().execute(
            "INSERT INTO sessions (token_sha256, learner, opened) VALUES (?1, ?2, ?3)",
            params![sha256(&token), learner, now()],
        )?;
        Ok(token)
    }

    /// The learner whose session `token` is, if it is one.
    pub fn session(&self, token: &str) -> anyhow::Result<Option<Learner>> {
        // Looked up by its hash: how long a wrong token takes tells nothing of a right one.
        Ok(self
            .connection()
            .query_row(
                "SELECT learners.id, name, lang, account FROM sessions
                 JOIN learners ON learners.id = sessions.learner WHERE token_sha256 = ?1",
                params![sha256(token)],
                learner_row,
            )
            .optional()?)
    }

    /// Keeps where a learner stands, for the instructor's page after a restart.
    pub fn save_report(&self, learner: i64, report: &str) -> anyhow::Result<()> {
        self.connection().execute(
            "INSERT INTO reports (learner, report, updated) VALUES (?1, ?2, ?3)
             ON CONFLICT (learner) DO UPDATE SET report = ?2, updated = ?3",
            params![learner, report, now()],
        )?;
        Ok(())
    }

    /// Every learner's last report, as kept.
    pub fn reports(&self) -> anyhow::Result<Vec<(i64, String)>> {
        let connection = self.connection();
        let mut query = connection.prepare("SELECT learner, report FROM reports")?;
        let rows = query.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every learner, in the order they joined.
    pub fn learners(&self) -> anyhow::Result<Vec<Learner>> {
        let connection = self.connection();
        let mut query =
            connection.prepare("SELECT id, name, lang, account FROM learners ORDER BY id")?;
        let rows = query.query_map([], learner_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Compared in constant time: a guess learns nothing from how long the refusal took.
fn equal(typed: &[u8], expected: &[u8]) -> bool {
    typed.len() == expected.len()
        && typed
            .iter()
            .zip(expected)
            .fold(0u8, |differs, (a, b)| differs | (a ^ b))
            == 0
}

fn learner_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Learner> {
    Ok(Learner {
        id: row.get(0)?,
        name: row.get(1)?,
        lang: row.get(2)?,
        account: row.get(3)?,
    })
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn sha256(token: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// A new class code: six letters from [`CODE_LETTERS`], `K7Q-XM2`.
fn new_code() -> String {
    // A 32-bit draw over 31 letters: the bias is below one in a hundred million.
    let letters: String = (0..6)
        .map(|_| char::from(CODE_LETTERS[rand::random::<u32>() as usize % CODE_LETTERS.len()]))
        .collect();
    format!("{}-{}", &letters[..3], &letters[3..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_keeps_its_code_and_learners_across_a_restart() {
        let dir = tempfile::tempdir().expect("dir");
        let code = {
            let roster = Roster::open(dir.path()).expect("open");
            roster
                .join("지민", "ko", &keys("111111111111"))
                .expect("join");
            roster
                .join("Ana", "en", &keys("222222222222"))
                .expect("join");
            roster.code().to_string()
        };
        let again = Roster::open(dir.path()).expect("reopen");
        assert_eq!(again.code(), code);
        let names: Vec<String> = again
            .learners()
            .expect("learners")
            .into_iter()
            .map(|learner| format!("{} {} {}", learner.id, learner.name, learner.lang))
            .collect();
        assert_eq!(names, ["1 지민 ko", "2 Ana en"]);
        assert_eq!(again.size().expect("size"), 2);
    }

    fn keys(account: &str) -> Credentials {
        Credentials {
            account: account.to_string(),
            access_key: format!("AKIA{account}"),
            secret: format!("secret of {account}"),
        }
    }

    #[test]
    fn a_session_token_finds_its_learner_and_no_other() {
        let roster = Roster::in_memory().expect("roster");
        let ana = roster
            .join("Ana", "en", &keys("222222222222"))
            .expect("join");
        let token = roster.open_session(ana.id).expect("session");
        assert_eq!(token.len(), 64);
        assert_eq!(roster.session(&token).expect("look"), Some(ana.clone()));
        assert_eq!(roster.session(&token[..63]).expect("look"), None);
        assert_eq!(roster.session("").expect("look"), None);
        assert_ne!(roster.open_session(ana.id).expect("another"), token);
        assert_eq!(
            roster.keys(ana.id).expect("keys").map(|keys| keys.secret),
            Some("secret of 222222222222".to_string())
        );
        assert_eq!(roster.keys(99).expect("keys"), None);
    }

    #[test]
    fn the_code_is_typed_however_spaced_and_cased() {
        let roster = Roster::in_memory().expect("roster");
        let code = roster.code().to_string();
        assert!(code.len() == 7 && code.as_bytes()[3] == b'-', "{code}");
        assert!(roster.admits(&code));
        assert!(roster.admits(&code.to_lowercase().replace('-', " ")));
        assert!(!roster.admits("AAA-AAA") || code == "AAA-AAA");
        assert!(!roster.admits(""));
        assert!(!roster.admits(&code[..5]));
    }
}
