//! Windows file access lists, read and written as permission bits.
//!
//! Windows has no call in `std` for access lists, so this module calls the system's own
//! (advapi32) through `windows-sys`. It is the one place in the project with `unsafe` code:
//! each block says what makes it sound.
#![allow(unsafe_code)]

use std::io;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;

use windows_sys::Win32::Foundation::{
    CloseHandle, GENERIC_ALL, GENERIC_EXECUTE, GENERIC_READ, GENERIC_WRITE, HANDLE, LocalFree,
};
use windows_sys::Win32::Security::Authorization::{
    GetNamedSecurityInfoW, SE_FILE_OBJECT, SetNamedSecurityInfoW,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_REVISION, AddAccessAllowedAceEx,
    CONTAINER_INHERIT_ACE, CreateWellKnownSid, DACL_SECURITY_INFORMATION, EqualSid, GetAce,
    GetTokenInformation, INHERIT_ONLY_ACE, InitializeAcl, IsWellKnownSid, OBJECT_INHERIT_ACE,
    PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SECURITY_MAX_SID_SIZE,
    TOKEN_QUERY, TOKEN_USER, TokenUser, WELL_KNOWN_SID_TYPE, WinBuiltinAdministratorsSid,
    WinLocalSystemSid, WinWorldSid,
};
use windows_sys::Win32::Storage::FileSystem::{
    DELETE, FILE_ALL_ACCESS, FILE_EXECUTE, FILE_GENERIC_EXECUTE, FILE_GENERIC_READ,
    FILE_GENERIC_WRITE, FILE_READ_DATA, FILE_WRITE_DATA,
};
use windows_sys::Win32::System::SystemServices::ACCESS_ALLOWED_ACE_TYPE;
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

pub fn mode(path: &Path, metadata: &std::fs::Metadata) -> io::Result<u32> {
    let user = CurrentUser::new()?;
    let descriptor = Descriptor::of(path)?;
    let (mut owner, mut others) = (0, 0);
    match descriptor.dacl() {
        // No list at all lets everyone do anything.
        None => (owner, others) = (7, 7),
        Some(list) => {
            for (header, entry) in entries(list) {
                // Entries that only pass to what the folder will hold say nothing of the folder.
                if u32::from(header.AceType) != ACCESS_ALLOWED_ACE_TYPE
                    || u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0
                {
                    continue;
                }
                let sid = sid_of(entry);
                // SAFETY: both are valid SIDs: the token's, and one inside the list the
                // descriptor owns, which lives until the end of this function.
                if unsafe { EqualSid(sid, user.sid()) } != 0 {
                    owner |= bits(entry.Mask);
                } else if !is_root(sid) {
                    others |= bits(entry.Mask);
                }
            }
        }
    }
    // The read-only mark stops every writer, whatever the list says.
    if metadata.is_file() && metadata.permissions().readonly() {
        (owner, others) = (owner & !2, others & !2);
    }
    Ok(owner << 6 | others << 3 | others)
}

pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    let metadata = std::fs::metadata(path)?;
    // What a folder grants passes to what is made in it, as `icacls (OI)(CI)` makes it.
    let inherit = if metadata.is_dir() {
        OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
    } else {
        0
    };
    let user = CurrentUser::new()?;
    let system = WellKnown::new(WinLocalSystemSid)?;
    let administrators = WellKnown::new(WinBuiltinAdministratorsSid)?;
    let everyone = WellKnown::new(WinWorldSid)?;
    let others = (mode >> 3 | mode) & 7;
    let mut grants = vec![
        (user.sid(), rights(mode >> 6 & 7)),
        (system.sid(), FILE_ALL_ACCESS),
        (administrators.sid(), FILE_ALL_ACCESS),
    ];
    if others != 0 {
        grants.push((everyone.sid(), rights(others)));
    }
    grants.retain(|(_, rights)| *rights != 0);

    // A list is its header and, per entry, the entry's fixed part and its SID: 8-byte words
    // keep it aligned as Windows wants.
    let size = std::mem::size_of::<ACL>()
        + grants.len()
            * (std::mem::size_of::<ACCESS_ALLOWED_ACE>() + SECURITY_MAX_SID_SIZE as usize);
    let mut buffer = vec![0u64; size.div_ceil(8)];
    let list = buffer.as_mut_ptr().cast::<ACL>();
    // SAFETY: `buffer` is `size` bytes, aligned, and outlives every use of `list`.
    if unsafe { InitializeAcl(list, size as u32, ACL_REVISION) } == 0 {
        return Err(io::Error::last_os_error());
    }
    for (sid, rights) in grants {
        // SAFETY: `list` was initialised above with room for every entry; `sid` is valid.
        if unsafe { AddAccessAllowedAceEx(list, ACL_REVISION, inherit, rights, sid) } == 0 {
            return Err(io::Error::last_os_error());
        }
    }
    let wide = wide(path);
    // SAFETY: `wide` is a NUL-terminated path; `list` is a valid list; the owner, group and
    // system list are left as they are (null).
    let status = unsafe {
        SetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            list,
            std::ptr::null(),
        )
    };
    if status != 0 {
        return Err(io::Error::from_raw_os_error(status as i32));
    }
    if metadata.is_file() {
        let mut permissions = metadata.permissions();
        permissions.set_readonly(mode & 0o200 == 0);
        std::fs::set_permissions(path, permissions)?;
    }
    Ok(())
}

/// `rwx` as the rights of one entry. Writing includes deleting, as a Unix owner may.
fn rights(bits: u32) -> u32 {
    if bits & 7 == 7 {
        return FILE_ALL_ACCESS;
    }
    let mut rights = 0;
    if bits & 4 != 0 {
        rights |= FILE_GENERIC_READ;
    }
    if bits & 2 != 0 {
        rights |= FILE_GENERIC_WRITE | DELETE;
    }
    if bits & 1 != 0 {
        rights |= FILE_GENERIC_EXECUTE;
    }
    rights
}

/// The `rwx` an entry's rights amount to, generic rights included.
fn bits(mask: u32) -> u32 {
    let has = |specific: u32, generic: u32| mask & (specific | generic | GENERIC_ALL) != 0;
    u32::from(has(FILE_READ_DATA, GENERIC_READ)) << 2
        | u32::from(has(FILE_WRITE_DATA, GENERIC_WRITE)) << 1
        | u32::from(has(FILE_EXECUTE, GENERIC_EXECUTE))
}

/// SYSTEM and the Administrators: Windows' root, whom OpenSSH does not count as others either.
fn is_root(sid: PSID) -> bool {
    [WinLocalSystemSid, WinBuiltinAdministratorsSid]
        .into_iter()
        // SAFETY: `sid` is a valid SID inside a list its caller holds.
        .any(|kind| unsafe { IsWellKnownSid(sid, kind) } != 0)
}

/// The entries of `list`, in order.
fn entries(list: &ACL) -> impl Iterator<Item = (&ACE_HEADER, &ACCESS_ALLOWED_ACE)> {
    (0..u32::from(list.AceCount)).filter_map(move |index| {
        let mut entry = std::ptr::null_mut();
        // SAFETY: `index` is below the list's count; Windows points `entry` into the list.
        if unsafe { GetAce(list, index, &mut entry) } == 0 || entry.is_null() {
            return None;
        }
        // SAFETY: every entry starts with its header; an allowing entry is read whole only
        // once its type says it is one, and it lives as long as the list.
        let header = unsafe { &*entry.cast::<ACE_HEADER>() };
        Some((header, unsafe { &*entry.cast::<ACCESS_ALLOWED_ACE>() }))
    })
}

/// The SID an allowing entry names, which starts where its `SidStart` field is.
fn sid_of(entry: &ACCESS_ALLOWED_ACE) -> PSID {
    std::ptr::from_ref(&entry.SidStart).cast_mut().cast()
}

fn wide(path: &Path) -> Vec<u16> {
    path.as_os_str().encode_wide().chain([0]).collect()
}

/// A file's security descriptor, freed when dropped.
struct Descriptor {
    descriptor: PSECURITY_DESCRIPTOR,
    dacl: *mut ACL,
}

impl Descriptor {
    fn of(path: &Path) -> io::Result<Descriptor> {
        let wide = wide(path);
        let (mut descriptor, mut dacl) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: `wide` is NUL-terminated; the out-pointers are valid; Windows allocates the
        // descriptor, which `Drop` frees, and points `dacl` into it.
        let status = unsafe {
            GetNamedSecurityInfoW(
                wide.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &mut dacl,
                std::ptr::null_mut(),
                &mut descriptor,
            )
        };
        if status != 0 {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
        Ok(Descriptor { descriptor, dacl })
    }

    fn dacl(&self) -> Option<&ACL> {
        // SAFETY: the list is inside the descriptor, which lives as long as `self`.
        unsafe { self.dacl.as_ref() }
    }
}

impl Drop for Descriptor {
    fn drop(&mut self) {
        // SAFETY: the descriptor came from GetNamedSecurityInfoW, which says to free it so.
        unsafe { LocalFree(self.descriptor) };
    }
}

/// The SID of the user this process runs as.
struct CurrentUser {
    /// A `TOKEN_USER` and the SID it points into, 8-byte aligned.
    buffer: Vec<u64>,
}

impl CurrentUser {
    fn new() -> io::Result<CurrentUser> {
        let mut token: HANDLE = std::ptr::null_mut();
        // SAFETY: the process's pseudo-handle is always valid; `token` receives a handle that
        // is closed below.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut buffer = vec![0u64; 64];
        let mut length = 0;
        // SAFETY: `buffer` is 512 writable bytes, more than a user and its SID take.
        let done = unsafe {
            GetTokenInformation(
                token,
                TokenUser,
                buffer.as_mut_ptr().cast(),
                (buffer.len() * 8) as u32,
                &mut length,
            )
        };
        let error = io::Error::last_os_error();
        // SAFETY: `token` was opened above and is not used again.
        unsafe { CloseHandle(token) };
        if done == 0 {
            return Err(error);
        }
        Ok(CurrentUser { buffer })
    }

    fn sid(&self) -> PSID {
        // SAFETY: the buffer holds the TOKEN_USER Windows wrote, whose SID points into it.
        unsafe { (*self.buffer.as_ptr().cast::<TOKEN_USER>()).User.Sid }
    }
}

/// One of the SIDs every Windows knows by name.
struct WellKnown {
    buffer: Vec<u64>,
}

impl WellKnown {
    fn new(kind: WELL_KNOWN_SID_TYPE) -> io::Result<WellKnown> {
        let mut buffer = vec![0u64; (SECURITY_MAX_SID_SIZE as usize).div_ceil(8)];
        let mut size = SECURITY_MAX_SID_SIZE;
        // SAFETY: `buffer` holds `size` bytes, the most any SID takes.
        let done = unsafe {
            CreateWellKnownSid(
                kind,
                std::ptr::null_mut(),
                buffer.as_mut_ptr().cast(),
                &mut size,
            )
        };
        if done == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(WellKnown { buffer })
    }

    fn sid(&self) -> PSID {
        self.buffer.as_ptr().cast_mut().cast()
    }
}
