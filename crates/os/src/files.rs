//! A machine's files as one of its users reaches them, for programs that run outside its
//! shell: the cloudlings shell's own commands (`ssh -i key.pem`, `aws … file://policy.json`,
//! a lesson's check) read and write the workstation's files through [`Files`], as a program
//! its user started would.
//!
//! They go through the same tree as a command in a [`Session`](super::Session): the same
//! path resolution (every path, `/etc/passwd` or `../../x` alike, stays inside the machine),
//! symbolic links, permission checks, umask and limits, so what such a program did is what
//! `ls -l` shows next, and the disk it changed is the one the caller persists. Failures are
//! [`io::Error`]s of the kind the standard library gives the same errno, reading as the C
//! library's message alone: "No such file or directory".

use std::fmt;
use std::io;

use super::disk::Disk;
use super::fs::Errno;
use super::node::{Body, Node};
use super::sys::{Identity, Sys};
use super::{Facts, NoNet};

/// One user's view of a machine's files, from a directory of theirs (their home at first).
pub struct Files<'a> {
    sys: Sys<'a>,
    who: Identity,
    cwd: String,
}

impl fmt::Debug for Files<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Files")
            .field("user", &self.who.name)
            .field("cwd", &self.cwd)
            .finish_non_exhaustive()
    }
}

/// What `stat` tells of a file, directory or link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// In bytes, as `ls -l` shows it.
    pub size: u64,
    /// The permission bits with setuid, setgid and sticky (`0o644`), without the file type.
    pub mode: u32,
    /// Last modified, in seconds since the epoch, on the machine's clock.
    pub modified: i64,
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// A symbolic link: only [`Files::list`] shows one, the other calls follow them.
    Link,
    /// A device, such as `/dev/null`.
    Other,
}

impl Entry {
    fn of(node: &Node) -> Entry {
        Entry {
            kind: match node.body {
                Body::File(_) | Body::Program(_) | Body::Zeros(_) => Kind::File,
                Body::Dir { .. } => Kind::Dir,
                Body::Link(_) => Kind::Link,
                Body::Device(..) => Kind::Other,
            },
            size: node.size(),
            mode: node.meta.mode,
            modified: node.meta.mtime,
        }
    }

    pub fn is_file(&self) -> bool {
        self.kind == Kind::File
    }

    pub fn is_dir(&self) -> bool {
        self.kind == Kind::Dir
    }
}

impl<'a> Files<'a> {
    /// The files as the machine's own user sees them ([`Distro::user`](super::Distro::user):
    /// `learner` on the workstation), from their home directory. The machine is taken as
    /// running since `facts.booted`, as a login takes it: a disk last used before that boot
    /// has its `/tmp` emptied first.
    pub fn of_user(facts: &'a Facts, disk: &'a mut Disk) -> Files<'a> {
        disk.reboot(facts.booted.unix_timestamp());
        let sys = Sys::new(facts, disk, &NoNet);
        let who = sys.login_user();
        let cwd = who.home.clone();
        Files { sys, who, cwd }
    }

    /// The user's name.
    pub fn user(&self) -> &str {
        &self.who.name
    }

    /// The user's home directory: `/home/learner`.
    pub fn home(&self) -> &str {
        &self.who.home
    }

    /// The directory relative paths start from.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The mask new files' modes are made under: `0o002` for a user on either distro.
    pub fn umask(&self) -> u32 {
        self.who.cred.umask()
    }

    /// Moves to another directory, as `cd` does: it must be a directory the user may enter.
    pub fn change_dir(&mut self, dir: &str) -> io::Result<()> {
        let view = self.sys.view();
        let (full, node) = view.lookup(&self.who.cred, &self.cwd, dir, true)?;
        if !node.is_dir() {
            return Err(Errno::NotDir.into());
        }
        if !self.who.cred.may(&node, super::fs::EXEC) {
            return Err(Errno::Acces.into());
        }
        self.cwd = full;
        Ok(())
    }

    /// A file's contents, as `open(O_RDONLY)` and `read` give them.
    pub fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        Ok(self.sys.view().read(&self.who.cred, &self.cwd, path)?)
    }

    /// Writes a file whole, as `open(O_WRONLY|O_CREAT|O_TRUNC)` and `write` do: a new one
    /// gets `0666` less the user's umask (`0664` for a user on Ubuntu), an existing one keeps
    /// its mode. A write past what the disk holds fails with "No space left on device" and
    /// leaves the file as it was: no reader ever finds half of one.
    pub fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_with_mode(path, bytes, 0o666)
    }

    /// [`Files::write`], a new file getting `mode` less the umask, as `open(2)` gives it
    /// (`0o600` for a secret).
    pub fn write_with_mode(&mut self, path: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
        self.sys
            .fs()
            .create(&self.who.cred, &self.cwd, path, bytes, mode, false)?;
        Ok(())
    }

    /// Writes a new file, never over anything at `path` ("File exists"), as
    /// `open(O_CREAT|O_EXCL, mode)` does.
    pub fn create_new(&mut self, path: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
        self.sys
            .fs()
            .create(&self.who.cred, &self.cwd, path, bytes, mode, true)?;
        Ok(())
    }

    /// Adds to the end of a file, making it if it is new, as `>>` does.
    pub fn append(&mut self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.sys
            .fs()
            .write(&self.who.cred, &self.cwd, path, bytes, true)?;
        Ok(())
    }

    /// What `stat(2)` tells of a path, following symbolic links.
    pub fn stat(&self, path: &str) -> io::Result<Entry> {
        let (_, node) = self
            .sys
            .view()
            .lookup(&self.who.cred, &self.cwd, path, true)?;
        Ok(Entry::of(&node))
    }

    /// Whether a path leads to something the user can see, as `test -e` asks.
    pub fn exists(&self, path: &str) -> bool {
        self.sys.view().exists(&self.who.cred, &self.cwd, path)
    }

    /// The entries of a directory, by name, as `readdir` and `lstat` give them: a symbolic
    /// link is shown as itself. Reading a directory needs its read bit.
    pub fn list(&self, dir: &str) -> io::Result<Vec<(String, Entry)>> {
        let entries = self.sys.view().list(&self.who.cred, &self.cwd, dir)?;
        Ok(entries
            .into_iter()
            .map(|(name, node)| (name, Entry::of(&node)))
            .collect())
    }

    /// `chmod(2)`: only the owner may (or root).
    pub fn chmod(&mut self, path: &str, mode: u32) -> io::Result<()> {
        Ok(self.sys.fs().chmod(&self.who.cred, &self.cwd, path, mode)?)
    }

    /// Makes a directory and the missing ones above it, as `mkdir -p` does: each new one
    /// `0777` less the umask. An existing directory is fine; anything else in the way is not.
    pub fn create_dir_all(&mut self, path: &str) -> io::Result<()> {
        let mut prefix = if path.starts_with('/') {
            "/".to_string()
        } else {
            String::new()
        };
        let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        for (index, part) in parts.iter().enumerate() {
            if !prefix.is_empty() && !prefix.ends_with('/') {
                prefix.push('/');
            }
            prefix.push_str(part);
            let found = self
                .sys
                .view()
                .lookup(&self.who.cred, &self.cwd, &prefix, true);
            match found {
                Ok((_, node)) if node.is_dir() => {}
                Ok(_) if index + 1 == parts.len() => return Err(Errno::Exist.into()),
                Ok(_) => return Err(Errno::NotDir.into()),
                Err(Errno::NoEnt) => {
                    self.sys.fs().mkdir(&self.who.cred, &self.cwd, &prefix)?;
                }
                Err(errno) => return Err(errno.into()),
            }
        }
        Ok(())
    }

    /// `unlink(2)`: removes a file or a symbolic link (not what it points to), never a
    /// directory.
    pub fn remove_file(&mut self, path: &str) -> io::Result<()> {
        Ok(self
            .sys
            .fs()
            .remove(&self.who.cred, &self.cwd, path, false)?)
    }

    /// The absolute path a path leads to, links followed, as `realpath` prints it; the path
    /// must exist.
    pub fn canonical(&self, path: &str) -> io::Result<String> {
        let (full, _) = self
            .sys
            .view()
            .lookup(&self.who.cred, &self.cwd, path, true)?;
        Ok(full)
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;

    use super::*;
    use crate::DISK_LIMIT;
    use crate::testing::Machine;

    /// The learner's files on a machine, for a test to use between lines of its session.
    fn files(machine: &mut Machine) -> Files<'_> {
        Files::of_user(&machine.facts, &mut machine.disk)
    }

    /// An error's kind and message, which is all a caller shows.
    fn failure<T: fmt::Debug>(result: io::Result<T>) -> (ErrorKind, String) {
        let error = result.expect_err("an error");
        assert_eq!(error.raw_os_error(), None);
        (error.kind(), error.to_string())
    }

    #[test]
    fn what_files_writes_the_session_sees_and_back() {
        let mut machine = Machine::workstation();
        {
            let mut files = files(&mut machine);
            assert_eq!((files.user(), files.home()), ("learner", "/home/learner"));
            files
                .write("key.pem", b"-----BEGIN RSA PRIVATE KEY-----\n")
                .expect("write");
        }
        // Made with 0666 less the learner's umask, 002, as a program of theirs makes it.
        assert_eq!(
            machine.out("ls -l key.pem"),
            "-rw-rw-r-- 1 learner learner 32 Oct 21 08:40 key.pem\n"
        );
        files(&mut machine).chmod("key.pem", 0o400).expect("chmod");
        assert_eq!(
            machine.out("ls -l key.pem"),
            "-r-------- 1 learner learner 32 Oct 21 08:40 key.pem\n"
        );
        assert_eq!(
            machine.out("cat key.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\n"
        );
        machine.run("echo '{\"Version\": \"2012-10-17\"}' > policy.json && chmod 640 policy.json");
        machine.wait(60);
        machine.run("echo more >> policy.json");
        let now = machine.facts.now;
        let files = files(&mut machine);
        assert_eq!(
            files.read("policy.json").expect("read"),
            b"{\"Version\": \"2012-10-17\"}\nmore\n"
        );
        let entry = files.stat("/home/learner/policy.json").expect("stat");
        assert_eq!(
            entry,
            Entry {
                kind: Kind::File,
                size: 31,
                mode: 0o640,
                modified: now.unix_timestamp(),
            }
        );
        assert_eq!(files.stat("key.pem").expect("stat").mode, 0o400);
        assert!(files.exists("key.pem") && !files.exists("nothing"));
    }

    #[test]
    fn new_files_take_a_mode_less_the_umask_and_old_ones_keep_theirs() {
        let mut machine = Machine::workstation();
        {
            let mut files = files(&mut machine);
            assert_eq!(files.umask(), 0o002);
            files
                .write_with_mode("mfa-seed.txt", b"JBSWY3DPEHPK3PXP\n", 0o600)
                .expect("secret");
            files
                .write_with_mode("run.sh", b"echo hi\n", 0o777)
                .expect("script");
            files.write("notes.txt", b"one\n").expect("notes");
            files.chmod("notes.txt", 0o640).expect("chmod");
            files
                .write_with_mode("notes.txt", b"two\n", 0o600)
                .expect("rewrite");
            files.create_new("fresh.txt", b"x", 0o644).expect("new");
            assert_eq!(
                failure(files.create_new("fresh.txt", b"y", 0o644)),
                (ErrorKind::AlreadyExists, "File exists".into())
            );
            assert_eq!(files.read("fresh.txt").expect("kept"), b"x");
        }
        machine.run("ln -s /nowhere dangling");
        assert_eq!(
            failure(files(&mut machine).create_new("dangling", b"x", 0o644)).0,
            ErrorKind::AlreadyExists
        );
        assert_eq!(
            machine.out("ls -l mfa-seed.txt run.sh notes.txt fresh.txt | cut -c1-10"),
            "-rw-r--r--\n-rw-------\n-rw-r-----\n-rwxrwxr-x\n"
        );
        assert_eq!(machine.out("./run.sh; cat notes.txt"), "hi\ntwo\n");
    }

    #[test]
    fn errors_read_as_the_c_library_words_them() {
        let mut machine = Machine::workstation();
        machine.run("mkdir locked && chmod 000 locked");
        let mut files = files(&mut machine);
        let cases = [
            (
                failure(files.read("nope")),
                ErrorKind::NotFound,
                "No such file or directory",
            ),
            (
                failure(files.read("/etc/shadow")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.read("/etc")),
                ErrorKind::IsADirectory,
                "Is a directory",
            ),
            (
                failure(files.read(".bashrc/x")),
                ErrorKind::NotADirectory,
                "Not a directory",
            ),
            (
                failure(files.list("locked")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.stat("locked/x")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.list(".profile")),
                ErrorKind::NotADirectory,
                "Not a directory",
            ),
            (
                failure(files.write("/etc/motd", b"x")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.write("/etc", b"x")),
                ErrorKind::IsADirectory,
                "Is a directory",
            ),
            (
                failure(files.write("no/such/dir", b"x")),
                ErrorKind::NotFound,
                "No such file or directory",
            ),
            (
                failure(files.chmod("/etc/passwd", 0o777)),
                ErrorKind::PermissionDenied,
                "Operation not permitted",
            ),
            (
                failure(files.create_dir_all(".bashrc")),
                ErrorKind::AlreadyExists,
                "File exists",
            ),
            (
                failure(files.create_dir_all(".bashrc/x")),
                ErrorKind::NotADirectory,
                "Not a directory",
            ),
            (
                failure(files.create_dir_all("/etc/cloudlings")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.remove_file("locked")),
                ErrorKind::IsADirectory,
                "Is a directory",
            ),
            (
                failure(files.remove_file("/etc/passwd")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.canonical("nope")),
                ErrorKind::NotFound,
                "No such file or directory",
            ),
            (
                failure(files.change_dir("/root")),
                ErrorKind::PermissionDenied,
                "Permission denied",
            ),
            (
                failure(files.change_dir(".bashrc")),
                ErrorKind::NotADirectory,
                "Not a directory",
            ),
            (
                failure(files.read(&"x".repeat(300))),
                ErrorKind::InvalidFilename,
                "File name too long",
            ),
        ];
        for (index, ((kind, message), want_kind, want_message)) in cases.into_iter().enumerate() {
            assert_eq!(
                (kind, message.as_str()),
                (want_kind, want_message),
                "case {index}"
            );
        }
    }

    #[test]
    fn every_path_stays_inside_the_machine() {
        let mut machine = Machine::workstation();
        let files = files(&mut machine);
        assert_eq!(
            files.read("../../../../../etc/hostname").expect("read"),
            b"workstation\n"
        );
        let passwd = String::from_utf8(files.read("/etc/passwd").expect("read")).expect("text");
        assert!(passwd.contains("learner:x:1000:1000:"), "{passwd}");
        assert!(!passwd.contains("ubuntu:"), "{passwd}");
        assert_eq!(files.canonical("../../..").expect("canonical"), "/");
        assert_eq!(files.canonical(".").expect("canonical"), "/home/learner");
        assert_eq!(
            files.canonical("/bin/ls").expect("canonical"),
            "/usr/bin/ls"
        );
    }

    #[test]
    fn links_made_in_the_session_lead_inside_the_machine() {
        let mut machine = Machine::workstation();
        machine
            .run("ln -s /etc/passwd p && ln -s ../../etc/hostname h && mkdir lab && ln -s lab l");
        machine.run("ln -s loop loop && ln -s /nowhere dangling");
        {
            let mut files = files(&mut machine);
            assert_eq!(
                files.read("p").expect("p"),
                files.read("/etc/passwd").expect("passwd")
            );
            assert_eq!(files.read("h").expect("h"), b"workstation\n");
            assert_eq!(files.canonical("p").expect("p"), "/etc/passwd");
            assert_eq!(files.canonical("l").expect("l"), "/home/learner/lab");
            assert!(files.stat("p").expect("p").is_file());
            assert!(files.stat("l").expect("l").is_dir());
            assert_eq!(files.stat("/dev/null").expect("null").kind, Kind::Other);
            assert_eq!(
                failure(files.read("loop")),
                (ErrorKind::Other, "Too many levels of symbolic links".into())
            );
            assert_eq!(failure(files.stat("dangling")).0, ErrorKind::NotFound);
            let links: Vec<String> = files
                .list(".")
                .expect("list")
                .into_iter()
                .filter(|(_, entry)| entry.kind == Kind::Link)
                .map(|(name, _)| name)
                .collect();
            assert_eq!(links, ["dangling", "h", "l", "loop", "p"]);
            files
                .write("l/notes.txt", b"through the link\n")
                .expect("write");
            // Writing through a link to a file the learner may not change is refused.
            assert_eq!(
                failure(files.write("p", b"x")).0,
                ErrorKind::PermissionDenied
            );
            files.remove_file("p").expect("rm p");
            assert!(files.exists("/etc/passwd"));
        }
        assert_eq!(machine.out("cat lab/notes.txt"), "through the link\n");
        assert_eq!(
            machine.out("ls p"),
            "ls: cannot access 'p': No such file or directory\n"
        );
    }

    #[test]
    fn directories_are_made_as_mkdir_p_makes_them() {
        let mut machine = Machine::workstation();
        {
            let mut files = files(&mut machine);
            files
                .create_dir_all("cloudlings-lab/site/css")
                .expect("mkdir -p");
            files.create_dir_all("cloudlings-lab/site/").expect("again");
            files.create_dir_all("/tmp/a/../b").expect("with ..");
            files.create_dir_all("").expect("nothing to make");
            files.write("cloudlings-lab/c.json", b"{}").expect("write");
            files.write("cloudlings-lab/b.txt", b"b").expect("write");
            let names: Vec<(String, bool)> = files
                .list("cloudlings-lab")
                .expect("list")
                .into_iter()
                .map(|(name, entry)| (name, entry.is_dir()))
                .collect();
            assert_eq!(
                names,
                [
                    ("b.txt".into(), false),
                    ("c.json".into(), false),
                    ("site".into(), true)
                ]
            );
            assert_eq!(files.stat("cloudlings-lab/site").expect("stat").mode, 0o775);
            assert!(files.exists("/tmp/a") && files.exists("/tmp/b"));
            files.change_dir("cloudlings-lab/site").expect("cd");
            assert_eq!(files.cwd(), "/home/learner/cloudlings-lab/site");
            files.write("index.html", b"<h1>Hi</h1>\n").expect("write");
        }
        assert_eq!(
            machine.out("ls -ld cloudlings-lab; cat cloudlings-lab/site/index.html"),
            "drwxrwxr-x 3 learner learner 4096 Oct 21 08:40 cloudlings-lab\n<h1>Hi</h1>\n"
        );
    }

    #[test]
    fn the_disk_limit_holds_for_writes_from_outside() {
        let mut machine = Machine::workstation();
        let mut files = files(&mut machine);
        let half = vec![b'x'; (DISK_LIMIT / 2) as usize];
        files.write("a", &half).expect("first half");
        files.write("b", &half).expect("second half");
        let full = (
            ErrorKind::StorageFull,
            "No space left on device".to_string(),
        );
        assert_eq!(failure(files.write("c", b"x")), full);
        assert_eq!(failure(files.append("b", b"x")), full);
        // A refused write leaves the file as it was.
        assert_eq!(files.stat("b").expect("b").size, DISK_LIMIT / 2);
        files.write("b", b"small").expect("shrink");
        files.write("c", b"x").expect("room again");
    }

    #[test]
    fn a_disk_read_back_from_json_keeps_what_files_wrote() {
        let mut machine = Machine::workstation();
        {
            let mut files = files(&mut machine);
            files.write("key.pem", b"PRIVATE\n").expect("write");
            files.chmod("key.pem", 0o400).expect("chmod");
            files.create_dir_all("cloudlings-lab").expect("mkdir");
            files
                .write("cloudlings-lab/seed.bin", &[0xff, 0x00, 0x7f])
                .expect("binary");
        }
        let json = serde_json::to_string(&machine.disk).expect("serialise");
        machine.disk = serde_json::from_str(&json).expect("deserialise");
        {
            let files = files(&mut machine);
            assert_eq!(files.read("key.pem").expect("read"), b"PRIVATE\n");
            assert_eq!(files.stat("key.pem").expect("stat").mode, 0o400);
            assert_eq!(
                files.read("cloudlings-lab/seed.bin").expect("read"),
                [0xff, 0x00, 0x7f]
            );
        }
        machine.relogin();
        assert_eq!(
            machine.out("ls -l key.pem"),
            "-r-------- 1 learner learner 8 Oct 21 08:40 key.pem\n"
        );
    }

    #[test]
    fn an_instance_files_belong_to_its_login_user() {
        let mut machine = Machine::ubuntu();
        let mut files = files(&mut machine);
        assert_eq!((files.user(), files.home()), ("ubuntu", "/home/ubuntu"));
        files.write("hello.txt", b"hi\n").expect("write");
        assert!(
            files
                .read(".ssh/authorized_keys")
                .expect("keys")
                .starts_with(b"ssh-ed25519 ")
        );
        drop(files);
        assert_eq!(
            machine.out("ls -l hello.txt"),
            "-rw-rw-r-- 1 ubuntu ubuntu 3 Oct 21 08:40 hello.txt\n"
        );
    }
}
