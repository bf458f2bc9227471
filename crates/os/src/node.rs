//! One entry of the virtual tree: its Unix metadata and what it holds. The image's entries and
//! the instance's own changes (kept in [`Disk`](super::Disk)) are the same type, so that a copy
//! up from the image is a clone.

use std::borrow::Cow;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Permission bits and ownership, as `stat` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// The permission bits, with setuid, setgid and sticky (`0o7777`); never the file type.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
}

/// A file, directory, symbolic link or device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Node {
    pub meta: Meta,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Body {
    File(Bytes),
    Dir {
        /// The directory was made again where the image has one: the image's entries below it
        /// are gone, as in overlayfs.
        #[serde(default, skip_serializing_if = "is_false")]
        opaque: bool,
    },
    Link(String),
    /// An executable of the image: its size is shown, its contents are not kept.
    Program(u64),
    /// A file of zero bytes, as `fallocate`, `truncate` and `dd if=/dev/zero` make one: its
    /// size takes room on the volume, but no byte of it is kept.
    Zeros(u64),
    /// A character device such as `/dev/null`: reads are empty, writes vanish.
    Device(u32, u32),
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Node {
    pub fn dir(meta: Meta) -> Node {
        Node {
            meta,
            body: Body::Dir { opaque: false },
        }
    }

    pub fn file(meta: Meta, data: impl Into<Cow<'static, [u8]>>) -> Node {
        Node {
            meta,
            body: Body::File(Bytes(data.into())),
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self.body, Body::Dir { .. })
    }

    pub fn is_link(&self) -> bool {
        matches!(self.body, Body::Link(_))
    }

    /// The size `ls -l` shows.
    pub fn size(&self) -> u64 {
        match &self.body {
            Body::File(bytes) => bytes.0.len() as u64,
            Body::Dir { .. } => 4096,
            Body::Link(target) => target.len() as u64,
            Body::Program(size) | Body::Zeros(size) => *size,
            Body::Device(..) => 0,
        }
    }

    /// The bytes the overlay keeps for it: what [`DISK_LIMIT`](super::DISK_LIMIT) bounds.
    pub fn cost(&self) -> u64 {
        match &self.body {
            Body::File(bytes) => bytes.0.len() as u64,
            Body::Program(size) => *size,
            Body::Link(target) => target.len() as u64,
            Body::Dir { .. } | Body::Device(..) | Body::Zeros(_) => 0,
        }
    }

    /// The bytes it takes on the instance's volume, kept or not.
    pub fn allocated(&self) -> u64 {
        match &self.body {
            Body::Zeros(size) => *size,
            _ => self.cost(),
        }
    }

    /// What reading it gives: an image program shows the start of an ELF header, as `cat`
    /// of a binary shows something unreadable.
    pub fn contents(&self) -> Cow<'_, [u8]> {
        match &self.body {
            Body::File(bytes) => Cow::Borrowed(&bytes.0),
            Body::Program(_) => Cow::Borrowed(b"\x7fELF\x02\x01\x01"),
            // Reading gives zeros, as many as a command may read at once.
            Body::Zeros(size) => Cow::Owned(vec![
                0;
                usize::try_from(*size)
                    .unwrap_or(usize::MAX)
                    .min(super::io::IO_LIMIT)
            ]),
            _ => Cow::Borrowed(b""),
        }
    }

    /// `ls -l`'s type letter.
    pub fn type_char(&self) -> char {
        match self.body {
            Body::File(_) | Body::Program(_) | Body::Zeros(_) => '-',
            Body::Dir { .. } => 'd',
            Body::Link(_) => 'l',
            Body::Device(..) => 'c',
        }
    }

    /// `drwxr-xr-x`, with setuid, setgid and sticky bits where they are.
    pub fn mode_string(&self) -> String {
        let mode = self.meta.mode;
        let mut text = String::with_capacity(10);
        text.push(self.type_char());
        let bit = |mask: u32, letter: char| if mode & mask != 0 { letter } else { '-' };
        let special = |exec: bool, set: bool, on: char, off: char| match (exec, set) {
            (true, true) => on,
            (false, true) => off,
            (true, false) => 'x',
            (false, false) => '-',
        };
        text.push(bit(0o400, 'r'));
        text.push(bit(0o200, 'w'));
        text.push(special(mode & 0o100 != 0, mode & 0o4000 != 0, 's', 'S'));
        text.push(bit(0o040, 'r'));
        text.push(bit(0o020, 'w'));
        text.push(special(mode & 0o010 != 0, mode & 0o2000 != 0, 's', 'S'));
        text.push(bit(0o004, 'r'));
        text.push(bit(0o002, 'w'));
        text.push(special(mode & 0o001 != 0, mode & 0o1000 != 0, 't', 'T'));
        text
    }
}

/// File contents: text in the state file where it is text (almost always), base64 otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Bytes(pub Cow<'static, [u8]>);

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum BytesRepr {
    Text(String),
    Binary { base64: String },
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => BytesRepr::Binary {
                base64: base64::engine::general_purpose::STANDARD.encode(&self.0),
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match BytesRepr::deserialize(deserializer)? {
            BytesRepr::Text(text) => Ok(Bytes(Cow::Owned(text.into_bytes()))),
            BytesRepr::Binary { base64 } => base64::engine::general_purpose::STANDARD
                .decode(base64)
                .map(|bytes| Bytes(Cow::Owned(bytes)))
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(mode: u32) -> Meta {
        Meta {
            mode,
            uid: 0,
            gid: 0,
            mtime: 0,
        }
    }

    #[test]
    fn mode_strings_as_ls_prints_them() {
        assert_eq!(Node::dir(meta(0o755)).mode_string(), "drwxr-xr-x");
        assert_eq!(Node::dir(meta(0o1777)).mode_string(), "drwxrwxrwt");
        assert_eq!(
            Node::file(meta(0o640), &b""[..]).mode_string(),
            "-rw-r-----"
        );
        assert_eq!(
            Node::file(meta(0o4755), &b""[..]).mode_string(),
            "-rwsr-xr-x"
        );
        assert_eq!(
            Node::file(meta(0o1644), &b""[..]).mode_string(),
            "-rw-r--r-T"
        );
    }

    #[test]
    fn bytes_are_text_in_json_unless_binary() {
        let text = Bytes(Cow::Borrowed(b"<h1>Hello</h1>\n"));
        let json = serde_json::to_string(&text).expect("serialise");
        assert_eq!(json, r#""<h1>Hello</h1>\n""#);
        let binary = Bytes(Cow::Owned(vec![0xff, 0x00, 0x7f]));
        let json = serde_json::to_string(&binary).expect("serialise");
        assert_eq!(json, r#"{"base64":"/wB/"}"#);
        for bytes in [text, binary] {
            let json = serde_json::to_string(&bytes).expect("serialise");
            let back: Bytes = serde_json::from_str(&json).expect("deserialise");
            assert_eq!(back, bytes);
        }
    }
}
