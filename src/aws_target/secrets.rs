//! Key material is a secret on AWS: a `create-key-pair` whose answer would reach the screen
//! (no `> file`) writes the private key to `<key name>.pem`, readable by its owner only, and
//! shows where it went instead of the key.

use crate::workstation::Workstation;
use std::path::PathBuf;

use serde_json::Value;

use crate::aws_cli::Args;
use cloudlings_core::operation::{Operation, Secret};

/// A private key taken off the screen, and where it was saved.
#[derive(Debug)]
pub struct Withheld {
    material: String,
    pub path: PathBuf,
}

/// Saves the key of a `create-key-pair` answer that would be printed; `None` when the call is
/// another, the answer goes to a file the learner named, or there is no key in it.
pub fn withhold_key(
    args: &Args,
    whole: &Value,
    files: &Workstation,
) -> std::io::Result<Option<Withheld>> {
    let printed = args.redirect.is_none();
    if !(printed && args.op().and_then(Operation::secret) == Some(Secret::PrivateKey)) {
        return Ok(None);
    }
    let Some(material) = whole["KeyMaterial"].as_str().filter(|key| !key.is_empty()) else {
        return Ok(None);
    };
    let name: String = whole["KeyName"]
        .as_str()
        .unwrap_or("key")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = save_new(files, &name, material)?;
    Ok(Some(Withheld {
        material: material.to_string(),
        path,
    }))
}

impl Withheld {
    /// `value` with the key replaced by where it is.
    pub fn mask(&self, value: Value) -> Value {
        match value {
            Value::String(text) if text == self.material => {
                Value::String(format!("(saved to {})", self.path.display()))
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.mask(v)).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, self.mask(v))).collect())
            }
            other => other,
        }
    }
}

/// Writes `<name>.pem` (or `<name>-2.pem`, … if taken) with mode 0400, never over a file.
fn save_new(files: &Workstation, name: &str, material: &str) -> std::io::Result<PathBuf> {
    let mut text = material.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let mut n = 1;
    loop {
        let file = match n {
            1 => format!("{name}.pem"),
            _ => format!("{name}-{n}.pem"),
        };
        match files.create_new(&file, text.as_bytes(), 0o400) {
            Ok(()) => return Ok(PathBuf::from(file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(line: &str) -> Args {
        let words = crate::words::split(line).expect("words");
        Args::parse(&words).expect("args")
    }

    #[test]
    fn a_printed_key_is_saved_owner_only_and_masked() {
        let dir = tempfile::tempdir().expect("dir");
        let answer = json!({"KeyName": "lecture", "KeyMaterial": "-----BEGIN SECRET-----"});
        let withheld = withhold_key(
            &args("ec2 create-key-pair --key-name lecture"),
            &answer,
            &Workstation::host(dir.path()),
        )
        .expect("saved")
        .expect("withheld");
        assert_eq!(withheld.path, PathBuf::from("lecture.pem"));
        let saved = dir.path().join("lecture.pem");
        assert_eq!(
            std::fs::read_to_string(&saved).expect("read"),
            "-----BEGIN SECRET-----\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&saved)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o400);
        }
        assert_eq!(
            withheld.mask(answer.clone()),
            json!({"KeyName": "lecture", "KeyMaterial": "(saved to lecture.pem)"})
        );
        let again = withhold_key(
            &args("ec2 create-key-pair --key-name lecture"),
            &answer,
            &Workstation::host(dir.path()),
        )
        .expect("saved")
        .expect("withheld");
        assert_eq!(
            again.path,
            PathBuf::from("lecture-2.pem"),
            "never over a file"
        );
    }

    #[test]
    fn a_redirected_key_and_other_calls_are_left_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let answer = json!({"KeyName": "k", "KeyMaterial": "secret"});
        let redirected =
            args("ec2 create-key-pair --key-name k --query KeyMaterial --output text > key.pem");
        assert!(
            withhold_key(&redirected, &answer, &Workstation::host(dir.path()))
                .expect("ok")
                .is_none()
        );
        assert!(
            withhold_key(
                &args("ec2 describe-key-pairs"),
                &answer,
                &Workstation::host(dir.path())
            )
            .expect("ok")
            .is_none()
        );
    }
}
