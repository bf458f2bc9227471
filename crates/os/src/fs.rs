//! The virtual tree: the image below, the instance's changes above, Unix permissions on top.
//!
//! Lookups go through the overlay first: a path the learner wrote, changed or removed is
//! answered by the [`Disk`]; everything else by the [`Lower`] layer (the distro's image and the
//! files of installed packages). A removal is a `None` entry, and a directory made again where
//! the image has one is "opaque", hiding the image's entries below it, as overlayfs does.
//!
//! Every path is resolved from `/` inside this tree, `..` stopping at `/`, so no name a learner
//! types can reach anything but the tree. Permissions are checked the Unix way, for the user
//! the shell runs as; root passes everything but the execute bit of files.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::ops::{Deref, DerefMut};

use super::disk::Disk;
use super::node::{Body, Meta, Node};
use super::{DISK_LIMIT, ENTRY_LIMIT};

/// The longest path Linux takes.
pub(crate) const PATH_MAX: usize = 4096;
/// The longest name of one entry.
pub(crate) const NAME_MAX: usize = 255;
/// How deep directories may nest: deeper ones are refused, so recursive commands stay shallow.
pub(crate) const DEPTH_MAX: usize = 64;
/// Symbolic links followed in one lookup before `ELOOP`, as Linux counts them.
const HOPS_MAX: usize = 40;

pub(crate) const READ: u32 = 4;
pub(crate) const WRITE: u32 = 2;
pub(crate) const EXEC: u32 = 1;

/// Why a file operation failed, with the C library's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Errno {
    NoEnt,
    Acces,
    Perm,
    NotDir,
    IsDir,
    Exist,
    NotEmpty,
    NoSpc,
    NameTooLong,
    Loop,
    Inval,
    Busy,
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Errno::NoEnt => "No such file or directory",
            Errno::Acces => "Permission denied",
            Errno::Perm => "Operation not permitted",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::Exist => "File exists",
            Errno::NotEmpty => "Directory not empty",
            Errno::NoSpc => "No space left on device",
            Errno::NameTooLong => "File name too long",
            Errno::Loop => "Too many levels of symbolic links",
            Errno::Inval => "Invalid argument",
            Errno::Busy => "Device or resource busy",
        })
    }
}

impl std::error::Error for Errno {}

/// The error a program outside the shell sees: the kind the standard library gives the same
/// errno, and the C library's message alone (a real `io::Error` would add "(os error 2)",
/// which a message meant to read like the machine's own has no use for).
impl From<Errno> for std::io::Error {
    fn from(errno: Errno) -> std::io::Error {
        use std::io::ErrorKind;
        let kind = match errno {
            Errno::NoEnt => ErrorKind::NotFound,
            Errno::Acces | Errno::Perm => ErrorKind::PermissionDenied,
            Errno::NotDir => ErrorKind::NotADirectory,
            Errno::IsDir => ErrorKind::IsADirectory,
            Errno::Exist => ErrorKind::AlreadyExists,
            Errno::NotEmpty => ErrorKind::DirectoryNotEmpty,
            Errno::NoSpc => ErrorKind::StorageFull,
            Errno::NameTooLong => ErrorKind::InvalidFilename,
            // `ErrorKind::FilesystemLoop` is not stable yet.
            Errno::Loop => ErrorKind::Other,
            Errno::Inval => ErrorKind::InvalidInput,
            Errno::Busy => ErrorKind::ResourceBusy,
        };
        std::io::Error::new(kind, errno)
    }
}

/// Who asks: a user with their groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cred {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups, the primary one included.
    pub groups: Vec<u32>,
}

impl Cred {
    #[cfg(test)]
    pub fn root() -> Cred {
        Cred {
            uid: 0,
            gid: 0,
            groups: vec![0],
        }
    }

    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// Both distros give users a umask of 002 (user private groups) and root 022.
    pub fn umask(&self) -> u32 {
        if self.is_root() { 0o022 } else { 0o002 }
    }

    /// Whether `want` (a combination of READ, WRITE, EXEC) is allowed on a node.
    pub fn may(&self, node: &Node, want: u32) -> bool {
        if self.is_root() {
            // Root needs an execute bit somewhere to run a file, and nothing else.
            return want & EXEC == 0 || node.is_dir() || node.meta.mode & 0o111 != 0;
        }
        let mode = node.meta.mode;
        let bits = if node.meta.uid == self.uid {
            mode >> 6
        } else if self.groups.contains(&node.meta.gid) {
            mode >> 3
        } else {
            mode
        } & 7;
        bits & want == want
    }
}

/// The read-only layers: the distro's image and the files of installed packages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lower {
    nodes: BTreeMap<String, Node>,
}

impl Lower {
    pub fn insert(&mut self, path: &str, node: Node) {
        self.nodes.insert(path.to_string(), node);
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        direct_children(&self.nodes, dir)
    }
}

/// The entries of a sorted map right below `dir`, with their names.
fn direct_children<'a, V>(
    map: &'a BTreeMap<String, V>,
    dir: &str,
) -> impl Iterator<Item = (&'a str, &'a V)> + 'a {
    let prefix = if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    };
    let start = prefix.clone();
    let skip = prefix.len();
    map.range(start..)
        .take_while(move |(key, _)| key.starts_with(&prefix))
        .filter_map(move |(key, value)| {
            let name = &key[skip..];
            (!name.is_empty() && !name.contains('/')).then_some((name, value))
        })
}

/// `/a/b` -> `/a`, `/a` -> `/`, `/` -> none.
pub(crate) fn parent(path: &str) -> Option<&str> {
    if path == "/" {
        return None;
    }
    match path.rfind('/') {
        Some(0) => Some("/"),
        Some(index) => Some(&path[..index]),
        None => None,
    }
}

/// The last component: `/a/b` -> `b`, `/` -> `/`.
pub(crate) fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// A path made absolute and tidied without looking at the tree: `.` dropped, `..` taking one
/// back (and nothing at `/`). This is how bash keeps `$PWD`.
pub(crate) fn lexical(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let whole = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    for part in whole.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// What a write finds at a path.
enum Opened<'a> {
    /// Nothing yet: the write makes the file.
    New,
    /// A device: writes vanish.
    Device,
    /// A file to change.
    File(&'a Node),
}

/// The tree as one user sees it. `D` is `&Disk` to read and `&mut Disk` to change.
pub(crate) struct Fs<'a, D> {
    pub lower: &'a Lower,
    pub disk: D,
    /// Now, for modification times.
    pub now: i64,
    /// Bytes the instance's own files may take on its volume (see
    /// [`distro::room_for_files`](super::distro::room_for_files)).
    pub room: u64,
}

impl<D> fmt::Debug for Fs<'_, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fs").finish_non_exhaustive()
    }
}

impl<'a, D: Deref<Target = Disk>> Fs<'a, D> {
    /// The entry at a canonical path, without permission checks.
    pub fn get(&self, path: &str) -> Option<&Node> {
        if let Some(entry) = self.disk.files.get(path) {
            return entry.as_ref();
        }
        if self.hidden(path) {
            return None;
        }
        self.lower.get(path)
    }

    /// Whether the image's entry at `path` is hidden by a change above it: the nearest
    /// ancestor the overlay knows decides.
    fn hidden(&self, path: &str) -> bool {
        let mut at = path;
        while let Some(up) = parent(at) {
            match self.disk.files.get(up) {
                None => at = up,
                Some(None) => return true,
                Some(Some(node)) => {
                    return !matches!(node.body, Body::Dir { opaque: false });
                }
            }
        }
        false
    }

    /// The entries of a directory, by name, without permission checks.
    pub fn children(&self, dir: &str) -> BTreeMap<String, &Node> {
        let mut out = BTreeMap::new();
        let lower_shows = match self.disk.files.get(dir) {
            Some(Some(node)) => matches!(node.body, Body::Dir { opaque: false }),
            Some(None) => false,
            None => !self.hidden(dir),
        };
        if lower_shows {
            for (name, node) in self.lower.children(dir) {
                out.insert(name.to_string(), node);
            }
        }
        for (name, entry) in direct_children(&self.disk.files, dir) {
            match entry {
                Some(node) => out.insert(name.to_string(), node),
                None => out.remove(name),
            };
        }
        out
    }

    /// Resolves a path as the kernel does, for `cred`, from `cwd`: symbolic links followed
    /// (the last one only when `follow`), each directory passed needing its execute bit. The
    /// result is canonical; its last component may not exist.
    pub fn resolve(
        &self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        follow: bool,
    ) -> Result<String, Errno> {
        if path.is_empty() {
            return Err(Errno::NoEnt);
        }
        if path.len() > PATH_MAX {
            return Err(Errno::NameTooLong);
        }
        let must_be_dir = path.ends_with('/') && path.len() > 1;
        let mut queue: VecDeque<String> = VecDeque::new();
        if !path.starts_with('/') {
            queue.extend(
                cwd.split('/')
                    .filter(|part| !part.is_empty())
                    .map(String::from),
            );
        }
        queue.extend(
            path.split('/')
                .filter(|part| !part.is_empty())
                .map(String::from),
        );
        let mut parts: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = queue.pop_front() {
            match part.as_str() {
                "." => continue,
                ".." => {
                    parts.pop();
                    continue;
                }
                _ => {}
            }
            if part.len() > NAME_MAX {
                return Err(Errno::NameTooLong);
            }
            let dir = format!("/{}", parts.join("/"));
            let dir_node = self.get(&dir).ok_or(Errno::NoEnt)?;
            if !dir_node.is_dir() {
                return Err(Errno::NotDir);
            }
            if !cred.may(dir_node, EXEC) {
                return Err(Errno::Acces);
            }
            let child = join(&dir, &part);
            let last = queue.iter().all(|rest| rest == ".");
            match self.get(&child) {
                Some(Node {
                    body: Body::Link(target),
                    ..
                }) if !last || follow || must_be_dir => {
                    hops += 1;
                    if hops > HOPS_MAX {
                        return Err(Errno::Loop);
                    }
                    if target.starts_with('/') {
                        parts.clear();
                    }
                    for piece in target.split('/').rev().filter(|piece| !piece.is_empty()) {
                        queue.push_front(piece.to_string());
                    }
                }
                Some(node) => {
                    if !last && !node.is_dir() {
                        return Err(Errno::NotDir);
                    }
                    parts.push(part);
                }
                None => {
                    if !last {
                        return Err(Errno::NoEnt);
                    }
                    parts.push(part);
                }
            }
        }
        let resolved = format!("/{}", parts.join("/"));
        if must_be_dir && self.get(&resolved).is_some_and(|node| !node.is_dir()) {
            return Err(Errno::NotDir);
        }
        Ok(resolved)
    }

    /// Resolves a path that must exist, with its entry.
    pub fn lookup(
        &self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        follow: bool,
    ) -> Result<(String, Node), Errno> {
        let full = self.resolve(cred, cwd, path, follow)?;
        let node = self.get(&full).ok_or(Errno::NoEnt)?.clone();
        Ok((full, node))
    }

    /// Whether a path exists for `cred` (following links), as `test -e` asks.
    pub fn exists(&self, cred: &Cred, cwd: &str, path: &str) -> bool {
        self.lookup(cred, cwd, path, true).is_ok()
    }

    /// A file's contents, as `open(O_RDONLY)` and `read` give them.
    pub fn read(&self, cred: &Cred, cwd: &str, path: &str) -> Result<Vec<u8>, Errno> {
        let full = self.resolve(cred, cwd, path, true)?;
        let node = self.get(&full).ok_or(Errno::NoEnt)?;
        if !cred.may(node, READ) {
            return Err(Errno::Acces);
        }
        if node.is_dir() {
            return Err(Errno::IsDir);
        }
        Ok(node.contents().into_owned())
    }

    /// A directory's entries, as `opendir` and `readdir` give them (needing its read bit).
    pub fn list(&self, cred: &Cred, cwd: &str, path: &str) -> Result<Vec<(String, Node)>, Errno> {
        let full = self.resolve(cred, cwd, path, true)?;
        let node = self.get(&full).ok_or(Errno::NoEnt)?;
        if !node.is_dir() {
            return Err(Errno::NotDir);
        }
        if !cred.may(node, READ) {
            return Err(Errno::Acces);
        }
        Ok(self
            .children(&full)
            .into_iter()
            .map(|(name, node)| (name, node.clone()))
            .collect())
    }

    /// Hard links `ls -l` shows: two for a directory plus one per subdirectory.
    pub fn links(&self, path: &str, node: &Node) -> u64 {
        if !node.is_dir() {
            return 1;
        }
        2 + self
            .children(path)
            .values()
            .filter(|child| child.is_dir())
            .count() as u64
    }

    /// Checks that a directory may get or lose an entry: write and search bits.
    fn writable_dir(&self, cred: &Cred, dir: &str) -> Result<&Node, Errno> {
        let node = self.get(dir).ok_or(Errno::NoEnt)?;
        if !node.is_dir() {
            return Err(Errno::NotDir);
        }
        if !cred.may(node, WRITE | EXEC) {
            return Err(Errno::Acces);
        }
        Ok(node)
    }

    /// Whether the sticky bit of `dir` (as on `/tmp`) forbids `cred` to remove `node`.
    fn sticky_forbids(&self, cred: &Cred, dir: &Node, node: &Node) -> bool {
        dir.meta.mode & 0o1000 != 0
            && !cred.is_root()
            && node.meta.uid != cred.uid
            && dir.meta.uid != cred.uid
    }

    /// Fails with `ENOSPC` when putting `node` at `path` would fill the volume, or pass what
    /// the emulator keeps of an instance's bytes.
    fn room_for(&self, path: &str, node: &Node) -> Result<(), Errno> {
        let old = self.disk.files.get(path).and_then(|entry| entry.as_ref());
        if self.disk.used() - old.map_or(0, Node::cost) + node.cost() > DISK_LIMIT {
            return Err(Errno::NoSpc);
        }
        let allocated = self.disk.allocated() - old.map_or(0, Node::allocated);
        if node.allocated() > old.map_or(0, Node::allocated)
            && allocated.saturating_add(node.allocated()) > self.room
        {
            return Err(Errno::NoSpc);
        }
        if !self.disk.files.contains_key(path) && self.disk.files.len() >= ENTRY_LIMIT {
            return Err(Errno::NoSpc);
        }
        Ok(())
    }

    /// Every entry of a subtree, parents before children, paths relative to its top.
    pub fn subtree(&self, top: &str) -> Vec<(String, Node)> {
        let mut out = Vec::new();
        let mut queue = VecDeque::from([(String::new(), top.to_string())]);
        while let Some((relative, full)) = queue.pop_front() {
            let Some(node) = self.get(&full) else {
                continue;
            };
            if node.is_dir() {
                for name in self.children(&full).keys() {
                    let child_relative = if relative.is_empty() {
                        name.clone()
                    } else {
                        format!("{relative}/{name}")
                    };
                    queue.push_back((child_relative, join(&full, name)));
                }
            }
            out.push((relative, node.clone()));
            if out.len() > ENTRY_LIMIT {
                break;
            }
        }
        out
    }
}

fn depth(path: &str) -> usize {
    path.split('/').filter(|part| !part.is_empty()).count()
}

impl<'a, D: DerefMut<Target = Disk>> Fs<'a, D> {
    /// Puts an entry in the overlay, marking a directory opaque where it replaces a hidden or
    /// removed image directory.
    fn put(&mut self, path: &str, mut node: Node) {
        if let Body::Dir { opaque } = &mut node.body {
            let replaces_hidden = self.lower.get(path).is_some() && self.get(path).is_none();
            let was_opaque = matches!(
                self.disk.files.get(path),
                Some(Some(Node {
                    body: Body::Dir { opaque: true },
                    ..
                }))
            );
            *opaque = *opaque || replaces_hidden || was_opaque;
        }
        self.disk.files.insert(path.to_string(), Some(node));
    }

    /// Takes an entry and everything below it out of the tree, without checks.
    fn erase(&mut self, path: &str) {
        let prefix = format!("{path}/");
        let below: Vec<String> = self
            .disk
            .files
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .map(|(key, _)| key.clone())
            .collect();
        for key in below {
            self.disk.files.remove(&key);
        }
        if self.lower.get(path).is_some() {
            self.disk.files.insert(path.to_string(), None);
        } else {
            self.disk.files.remove(path);
        }
    }

    /// Writes a file as `open(O_WRONLY|O_CREAT|O_TRUNC or O_APPEND)` and `write` do, creating
    /// it with `0666 & ~umask` if it is new. Returns the canonical path.
    pub fn write(
        &mut self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        data: &[u8],
        append: bool,
    ) -> Result<String, Errno> {
        let full = self.resolve(cred, cwd, path, true)?;
        let node = match self.open_for_write(cred, &full)? {
            Opened::Device => return Ok(full),
            Opened::File(existing) => {
                let mut contents = if append {
                    existing.contents().into_owned()
                } else {
                    Vec::new()
                };
                contents.extend_from_slice(data);
                let meta = Meta {
                    mtime: self.now,
                    ..existing.meta
                };
                Node::file(meta, contents)
            }
            Opened::New => Node::file(self.new_meta(cred, 0o666), data.to_vec()),
        };
        self.room_for(&full, &node)?;
        self.put(&full, node);
        Ok(full)
    }

    /// Writes a file whole as `open(O_WRONLY|O_CREAT|O_TRUNC, mode)` and `write` do (with
    /// `O_EXCL` when `exclusive`: anything at the path, a dangling link too, is `EEXIST`): a
    /// new file gets `mode` less the umask, an existing one keeps its own. Returns the
    /// canonical path.
    pub fn create(
        &mut self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        data: &[u8],
        mode: u32,
        exclusive: bool,
    ) -> Result<String, Errno> {
        if exclusive {
            let at = self.resolve(cred, cwd, path, false)?;
            if self.get(&at).is_some() {
                return Err(Errno::Exist);
            }
        }
        let full = self.resolve(cred, cwd, path, true)?;
        let existed = self.get(&full).is_some();
        self.write(cred, cwd, path, data, false)?;
        if !existed && let Some(Some(made)) = self.disk.files.get_mut(&full) {
            made.meta.mode = mode & 0o7777 & !cred.umask();
        }
        Ok(full)
    }

    /// What a write to the file at `full` (canonical) finds, as `open(O_WRONLY|O_CREAT)`
    /// checks it: a folder or a file `cred` may not write is refused, and a new file needs a
    /// folder `cred` may write in.
    fn open_for_write(&self, cred: &Cred, full: &str) -> Result<Opened<'_>, Errno> {
        match self.get(full) {
            None => {
                let dir = parent(full).ok_or(Errno::IsDir)?;
                self.writable_dir(cred, dir)?;
                Ok(Opened::New)
            }
            Some(existing) if existing.is_dir() => Err(Errno::IsDir),
            Some(existing) if !cred.may(existing, WRITE) => Err(Errno::Acces),
            Some(Node {
                body: Body::Device(..),
                ..
            }) => Ok(Opened::Device),
            Some(existing) => Ok(Opened::File(existing)),
        }
    }

    fn new_meta(&self, cred: &Cred, mode: u32) -> Meta {
        Meta {
            mode: mode & !cred.umask(),
            uid: cred.uid,
            gid: cred.gid,
            mtime: self.now,
        }
    }

    /// `touch`: a new empty file, or a newer time on an existing one.
    pub fn touch(&mut self, cred: &Cred, cwd: &str, path: &str) -> Result<(), Errno> {
        let full = self.resolve(cred, cwd, path, true)?;
        match self.get(&full).cloned() {
            Some(mut node) => {
                if node.meta.uid != cred.uid && !cred.is_root() && !cred.may(&node, WRITE) {
                    return Err(Errno::Acces);
                }
                if let Body::Device(..) = node.body {
                    return Ok(());
                }
                node.meta.mtime = self.now;
                self.room_for(&full, &node)?;
                self.put(&full, node);
                Ok(())
            }
            None => self.write(cred, cwd, path, b"", false).map(|_| ()),
        }
    }

    /// Gives a file `size` bytes on the volume, as `fallocate(2)` does (`exact` false: a
    /// larger file keeps its size and every file its bytes) or as writing `size` zeros over it
    /// does (`exact`). The zeros are not kept, only their count; a file with bytes of its own
    /// keeps them, within what the emulator keeps of an instance's bytes. Creates the file
    /// (`0666 & ~umask`) if it is new. Returns the canonical path.
    pub fn allocate(
        &mut self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        size: u64,
        exact: bool,
    ) -> Result<String, Errno> {
        let full = self.resolve(cred, cwd, path, true)?;
        let node = match self.open_for_write(cred, &full)? {
            Opened::Device => return Ok(full),
            Opened::File(existing) => {
                let meta = Meta {
                    mtime: self.now,
                    ..existing.meta
                };
                let kept = match &existing.body {
                    Body::File(bytes) if !exact => bytes.0.len() as u64,
                    _ => 0,
                };
                if kept == 0 {
                    let size = if exact {
                        size
                    } else {
                        size.max(existing.size())
                    };
                    Node {
                        meta,
                        body: Body::Zeros(size),
                    }
                } else {
                    // Bytes of its own, then zeros: all kept, so bounded by the overlay.
                    let size = usize::try_from(size.max(kept)).map_err(|_| Errno::NoSpc)?;
                    if size as u64 > DISK_LIMIT {
                        return Err(Errno::NoSpc);
                    }
                    let mut contents = existing.contents().into_owned();
                    contents.resize(size, 0);
                    Node::file(meta, contents)
                }
            }
            Opened::New => Node {
                meta: self.new_meta(cred, 0o666),
                body: Body::Zeros(size),
            },
        };
        self.room_for(&full, &node)?;
        self.put(&full, node);
        Ok(full)
    }

    /// The most bytes the file at `path` could take on the volume now: what it takes, and
    /// what is free.
    pub fn space_for(&self, cred: &Cred, cwd: &str, path: &str) -> u64 {
        let own = self
            .resolve(cred, cwd, path, true)
            .ok()
            .and_then(|full| self.disk.files.get(&full).cloned().flatten())
            .map_or(0, |node| node.allocated());
        self.room
            .saturating_sub(self.disk.allocated().saturating_sub(own))
    }

    /// `mkdir(2)` with `0777 & ~umask`.
    pub fn mkdir(&mut self, cred: &Cred, cwd: &str, path: &str) -> Result<String, Errno> {
        let full = self.resolve(cred, cwd, path, false)?;
        if self.get(&full).is_some() {
            return Err(Errno::Exist);
        }
        if depth(&full) > DEPTH_MAX {
            return Err(Errno::NameTooLong);
        }
        let dir = parent(&full).ok_or(Errno::Exist)?;
        self.writable_dir(cred, dir)?;
        let node = Node::dir(self.new_meta(cred, 0o777));
        self.room_for(&full, &node)?;
        self.put(&full, node);
        Ok(full)
    }

    /// `symlink(2)`: a link at `path` pointing to `target`, which need not exist.
    pub fn symlink(
        &mut self,
        cred: &Cred,
        cwd: &str,
        target: &str,
        path: &str,
    ) -> Result<String, Errno> {
        let full = self.resolve(cred, cwd, path, false)?;
        if self.get(&full).is_some() {
            return Err(Errno::Exist);
        }
        let dir = parent(&full).ok_or(Errno::Exist)?;
        self.writable_dir(cred, dir)?;
        let node = Node {
            meta: Meta {
                mode: 0o777,
                ..self.new_meta(cred, 0o777)
            },
            body: Body::Link(target.to_string()),
        };
        self.room_for(&full, &node)?;
        self.put(&full, node);
        Ok(full)
    }

    /// `unlink(2)` (`dir == false`) or `rmdir(2)` (`dir == true`).
    pub fn remove(&mut self, cred: &Cred, cwd: &str, path: &str, dir: bool) -> Result<(), Errno> {
        let full = self.resolve(cred, cwd, path, false)?;
        if full == "/" {
            return Err(Errno::Busy);
        }
        let node = self.get(&full).ok_or(Errno::NoEnt)?.clone();
        match (dir, node.is_dir()) {
            (false, true) => return Err(Errno::IsDir),
            (true, false) => return Err(Errno::NotDir),
            (true, true) if !self.children(&full).is_empty() => return Err(Errno::NotEmpty),
            _ => {}
        }
        let up = parent(&full).ok_or(Errno::Busy)?;
        let up_node = self.writable_dir(cred, up)?.clone();
        if self.sticky_forbids(cred, &up_node, &node) {
            return Err(Errno::Perm);
        }
        self.erase(&full);
        Ok(())
    }

    /// `rename(2)`: moves an entry (a whole directory with what is below it). `to` is the
    /// exact new path, not a directory to move into.
    pub fn rename(&mut self, cred: &Cred, cwd: &str, from: &str, to: &str) -> Result<(), Errno> {
        let source = self.resolve(cred, cwd, from, false)?;
        let node = self.get(&source).ok_or(Errno::NoEnt)?.clone();
        let target = self.resolve(cred, cwd, to, false)?;
        if source == target {
            return Ok(());
        }
        if target.starts_with(&format!("{source}/")) || source == "/" {
            return Err(Errno::Inval);
        }
        let source_dir = parent(&source).ok_or(Errno::Busy)?;
        let source_parent = self.writable_dir(cred, source_dir)?.clone();
        if self.sticky_forbids(cred, &source_parent, &node) {
            return Err(Errno::Perm);
        }
        let target_dir = parent(&target).ok_or(Errno::Busy)?;
        self.writable_dir(cred, target_dir)?;
        if let Some(existing) = self.get(&target) {
            match (node.is_dir(), existing.is_dir()) {
                (true, false) => return Err(Errno::NotDir),
                (false, true) => return Err(Errno::IsDir),
                (true, true) if !self.children(&target).is_empty() => {
                    return Err(Errno::NotEmpty);
                }
                _ => {}
            }
        }
        let moved = self.subtree(&source);
        if depth(&target) + moved.iter().map(|(rel, _)| depth(rel)).max().unwrap_or(0) > DEPTH_MAX {
            return Err(Errno::NameTooLong);
        }
        let extra: u64 = moved.iter().map(|(_, node)| node.cost()).sum();
        if self.disk.used() + extra > DISK_LIMIT
            || self.disk.files.len() + moved.len() + 1 > ENTRY_LIMIT
        {
            return Err(Errno::NoSpc);
        }
        self.erase(&source);
        self.erase(&target);
        for (relative, node) in moved {
            let path = if relative.is_empty() {
                target.clone()
            } else {
                format!("{target}/{relative}")
            };
            self.put(&path, node);
        }
        Ok(())
    }

    /// Puts a copy of `node` at `path` (already resolved by the caller), owned by `cred`,
    /// as `cp` without `-p` makes it.
    pub fn create_copy(
        &mut self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        node: &Node,
    ) -> Result<String, Errno> {
        if node.is_dir() {
            let full = self.resolve(cred, cwd, path, true)?;
            if self.get(&full).is_some_and(Node::is_dir) {
                return Ok(full);
            }
            return self.mkdir(cred, cwd, path);
        }
        let full = self.resolve(cred, cwd, path, true)?;
        let existed = self.get(&full).cloned();
        let contents = node.contents().into_owned();
        let written = match &node.body {
            Body::Program(size) if existed.is_none() => {
                let dir = parent(&full).ok_or(Errno::IsDir)?;
                self.writable_dir(cred, dir)?;
                let copy = Node {
                    meta: self.new_meta(cred, node.meta.mode),
                    body: Body::Program(*size),
                };
                self.room_for(&full, &copy)?;
                self.put(&full, copy);
                full
            }
            _ => self.write(cred, cwd, path, &contents, false)?,
        };
        if existed.is_none() {
            let mode = node.meta.mode & 0o777 & !cred.umask();
            if let Some(Some(made)) = self.disk.files.get_mut(&written) {
                made.meta.mode = mode;
            }
        }
        Ok(written)
    }

    /// `chmod(2)`: only the owner or root.
    pub fn chmod(&mut self, cred: &Cred, cwd: &str, path: &str, mode: u32) -> Result<(), Errno> {
        let (full, mut node) = self.lookup(cred, cwd, path, true)?;
        if !cred.is_root() && node.meta.uid != cred.uid {
            return Err(Errno::Perm);
        }
        node.meta.mode = mode & 0o7777;
        self.room_for(&full, &node)?;
        self.put(&full, node);
        Ok(())
    }

    /// `chown(2)`: only root changes an owner.
    pub fn chown(
        &mut self,
        cred: &Cred,
        cwd: &str,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> Result<(), Errno> {
        let (full, mut node) = self.lookup(cred, cwd, path, true)?;
        let changes_owner = uid.is_some_and(|uid| uid != node.meta.uid);
        let group_ok =
            gid.is_none_or(|gid| node.meta.uid == cred.uid && cred.groups.contains(&gid));
        if !cred.is_root() && (changes_owner || !group_ok) {
            return Err(Errno::Perm);
        }
        if let Some(uid) = uid {
            node.meta.uid = uid;
        }
        if let Some(gid) = gid {
            node.meta.gid = gid;
        }
        self.room_for(&full, &node)?;
        self.put(&full, node);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(mode: u32, uid: u32) -> Meta {
        Meta {
            mode,
            uid,
            gid: uid,
            mtime: 0,
        }
    }

    fn image() -> Lower {
        let mut lower = Lower::default();
        lower.insert("/", Node::dir(meta(0o755, 0)));
        lower.insert("/etc", Node::dir(meta(0o755, 0)));
        lower.insert(
            "/etc/shadow",
            Node::file(meta(0o640, 0), &b"root:*:1:0\n"[..]),
        );
        lower.insert("/etc/hostname", Node::file(meta(0o644, 0), &b"ip-1\n"[..]));
        lower.insert("/home", Node::dir(meta(0o755, 0)));
        lower.insert("/home/u", Node::dir(meta(0o750, 1000)));
        lower.insert("/tmp", Node::dir(meta(0o1777, 0)));
        lower.insert("/usr", Node::dir(meta(0o755, 0)));
        lower.insert("/usr/bin", Node::dir(meta(0o755, 0)));
        lower.insert(
            "/bin",
            Node {
                meta: meta(0o777, 0),
                body: Body::Link("usr/bin".into()),
            },
        );
        lower.insert(
            "/usr/bin/ls",
            Node {
                meta: meta(0o755, 0),
                body: Body::Program(1000),
            },
        );
        lower
    }

    /// The image over an empty disk, for a test to make its `Fs` of.
    struct Tree {
        lower: Lower,
        disk: Disk,
    }

    impl Tree {
        fn new() -> Tree {
            Tree {
                lower: image(),
                disk: Disk::default(),
            }
        }

        fn fs(&mut self) -> Fs<'_, &mut Disk> {
            Fs {
                lower: &self.lower,
                disk: &mut self.disk,
                now: 5,
                room: 64 * 1024 * 1024,
            }
        }
    }

    fn user() -> Cred {
        Cred {
            uid: 1000,
            gid: 1000,
            groups: vec![1000],
        }
    }

    #[test]
    fn paths_stay_inside_the_tree() {
        let mut tree = Tree::new();
        let fs = tree.fs();
        let resolved = fs.resolve(&user(), "/home/u", "../../../../../etc/shadow", true);
        assert_eq!(resolved, Ok("/etc/shadow".to_string()));
        assert_eq!(
            fs.read(&user(), "/home/u", "../../../../etc/shadow"),
            Err(Errno::Acces)
        );
        assert!(fs.read(&Cred::root(), "/", "/etc/shadow").is_ok());
        assert_eq!(
            fs.resolve(&user(), "/", "/bin/ls", true),
            Ok("/usr/bin/ls".into())
        );
        assert_eq!(
            fs.resolve(&user(), "/", "/etc/hostname/x", true),
            Err(Errno::NotDir)
        );
        assert_eq!(fs.resolve(&user(), "/", "/nope/x", true), Err(Errno::NoEnt));
        assert_eq!(lexical("/home/u", "../../.."), "/");
    }

    #[test]
    fn overlay_writes_removes_and_opaque_dirs() {
        let mut tree = Tree::new();
        let mut fs = tree.fs();
        let me = user();
        assert_eq!(
            fs.write(&me, "/", "/etc/x", b"hi", false),
            Err(Errno::Acces)
        );
        fs.write(&me, "/home/u", "notes.txt", b"one\n", false)
            .expect("write");
        fs.write(&me, "/home/u", "notes.txt", b"two\n", true)
            .expect("append");
        assert_eq!(
            fs.read(&me, "/", "/home/u/notes.txt"),
            Ok(b"one\ntwo\n".to_vec())
        );
        let root = Cred::root();
        fs.remove(&root, "/", "/etc/hostname", false).expect("rm");
        assert!(fs.get("/etc/hostname").is_none());
        assert!(fs.children("/etc").contains_key("shadow"));
        // A directory removed and made again hides what the image had below it.
        for path in ["/etc/shadow", "/etc"] {
            let dir = path == "/etc";
            fs.remove(&root, "/", path, dir).expect("remove");
        }
        fs.mkdir(&root, "/", "/etc").expect("mkdir");
        assert!(fs.children("/etc").is_empty());
        assert!(fs.get("/etc/shadow").is_none());
        assert!(fs.disk.is_opaque("/etc"));
    }

    #[test]
    fn sticky_tmp_and_rename() {
        let mut tree = Tree::new();
        let mut fs = tree.fs();
        let root = Cred::root();
        fs.write(&root, "/", "/tmp/roots", b"x", false)
            .expect("write");
        assert_eq!(
            fs.remove(&user(), "/", "/tmp/roots", false),
            Err(Errno::Perm)
        );
        fs.mkdir(&user(), "/", "/tmp/a").expect("mkdir");
        fs.write(&user(), "/", "/tmp/a/f", b"x", false)
            .expect("write");
        fs.rename(&user(), "/", "/tmp/a", "/tmp/b").expect("rename");
        assert_eq!(fs.read(&user(), "/", "/tmp/b/f"), Ok(b"x".to_vec()));
        assert!(fs.get("/tmp/a").is_none());
        assert_eq!(
            fs.rename(&user(), "/", "/tmp/b", "/tmp/b/c"),
            Err(Errno::Inval)
        );
    }

    #[test]
    fn quota_refuses_past_the_limit() {
        let mut tree = Tree::new();
        let mut fs = tree.fs();
        let big = vec![b'x'; (DISK_LIMIT / 2) as usize];
        fs.write(&user(), "/", "/tmp/a", &big, false)
            .expect("first half");
        fs.write(&user(), "/", "/tmp/b", &big, false)
            .expect("second half");
        assert_eq!(
            fs.write(&user(), "/", "/tmp/c", b"x", false),
            Err(Errno::NoSpc)
        );
        // Rewriting a file in place only counts the difference.
        fs.write(&user(), "/", "/tmp/b", b"small", false)
            .expect("shrink");
        fs.write(&user(), "/", "/tmp/c", b"x", false)
            .expect("room again");
    }
}
