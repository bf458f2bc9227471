//! `aws s3 cp` and `aws s3 sync`: files between the learner's folder and a bucket, printed
//! line by line as the CLI prints them (`upload: ./cat.jpg to s3://photos/cat.jpg`), with an
//! indicatif progress bar on a terminal.
//!
//! As the CLI does, uploads guess the `Content-Type` from the file name (a browser shows an
//! image served as `image/jpeg`, and downloads one served as `binary/octet-stream`), and files
//! over 8 MiB go up in 8 MiB parts, so the bar moves part by part.

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::{ByteStream, Length};
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use cloudlings_core::operation::Operation;
use indicatif::{ProgressBar, ProgressStyle};

use super::s3_path::split;
use crate::aws_cli::Args;
use crate::aws_cli::failure::{self, USAGE};
use crate::workstation::{self, Workstation};

/// The CLI's `multipart_threshold` and `multipart_chunksize`.
const PART: u64 = 8 * 1024 * 1024;

/// What the command printed and its exit status.
pub type Done = (String, i32);

/// One file to move.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    Upload {
        /// The file on the learner's computer, as a path from their folder.
        local: String,
        bucket: String,
        key: String,
        size: u64,
    },
    Download {
        bucket: String,
        key: String,
        local: String,
        size: u64,
    },
    Delete {
        bucket: String,
        key: String,
    },
}

/// Options of a transfer.
struct Options {
    content_type: Option<String>,
    cache_control: Option<String>,
    dry_run: bool,
    quiet: bool,
    /// Whether the progress bar may be drawn: on this process's terminal, when it is the
    /// learner's.
    bar: bool,
}

impl Options {
    fn of(args: &Args, terminal: bool) -> Options {
        let one = |name: &str| args.param(name).and_then(|v| v.first()).cloned();
        Options {
            content_type: one("content-type"),
            cache_control: one("cache-control"),
            dry_run: args.param("dryrun").is_some(),
            quiet: args.param("quiet").is_some(),
            bar: terminal,
        }
    }
}

/// `aws s3 cp SOURCE DEST [--recursive]`.
pub async fn copy(s3: &Client, args: &Args, files: &Workstation, terminal: bool) -> Done {
    let [source, dest] = args.positional.as_slice() else {
        return usage("cp");
    };
    let recursive = args.param("recursive").is_some();
    let jobs = match (split(source), split(dest)) {
        (None, Some((bucket, prefix))) => {
            let Ok(found) = files.stat(source) else {
                return (
                    format!("\nThe user-provided path {source} does not exist.\n"),
                    255,
                );
            };
            if recursive {
                upload_tree(files, source, bucket, prefix)
            } else if found.is_dir() {
                return (
                    format!(
                        "\nupload failed: {source} to {dest} [Errno 21] Is a directory: '{source}'\n"
                    ),
                    1,
                );
            } else {
                let name = source
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(source);
                let key = if prefix.is_empty() || prefix.ends_with('/') {
                    format!("{prefix}{name}")
                } else {
                    prefix.to_string()
                };
                vec![upload(source.clone(), found.size, bucket, &key)]
            }
        }
        (Some((bucket, key)), None) if !recursive && dest == "-" => {
            return to_screen(s3, bucket, key).await;
        }
        (Some((bucket, key)), None) if !recursive => {
            let mut local = dest.clone();
            if files.stat(dest).is_ok_and(|found| found.is_dir()) || dest.ends_with('/') {
                local = workstation::join(dest, key.rsplit('/').next().unwrap_or(key));
            }
            match s3.head_object().bucket(bucket).key(key).send().await {
                Ok(head) => vec![Job::Download {
                    bucket: bucket.to_string(),
                    key: key.to_string(),
                    local,
                    size: head.content_length().unwrap_or(0).max(0) as u64,
                }],
                Err(error) => {
                    let text = failure::one_line(Operation::HeadObject, &error);
                    return (format!("fatal error: {text}\n"), 1);
                }
            }
        }
        (Some(_), None) | (Some(_), Some(_)) | (None, None) => {
            return (
                "\nThis shell's aws s3 cp copies files to a bucket (`aws s3 cp cat.jpg s3://bucket/`) \
                 or one object back (`aws s3 cp s3://bucket/cat.jpg .`).\n"
                    .to_string(),
                USAGE,
            );
        }
    };
    run(s3, jobs, files, &Options::of(args, terminal)).await
}

/// The most of an object `aws s3 cp s3://bucket/key -` prints: a screenful of text, not a
/// terminal flooded by an image.
const SCREEN: usize = 64 * 1024;

/// `aws s3 cp s3://bucket/key -`: the object on standard output, as the CLI prints it (the
/// shell shows its control characters rather than obeying them, as all it prints from S3).
async fn to_screen(s3: &Client, bucket: &str, key: &str) -> Done {
    let object = match s3.get_object().bucket(bucket).key(key).send().await {
        Ok(object) => object,
        Err(error) => {
            let text = failure::one_line(Operation::GetObject, &error);
            return (
                format!("download failed: s3://{bucket}/{key} to - {text}\n"),
                1,
            );
        }
    };
    let bytes = match object.body.collect().await {
        Ok(body) => body.into_bytes(),
        Err(error) => {
            return (
                format!("download failed: s3://{bucket}/{key} to - {error}\n"),
                1,
            );
        }
    };
    let shown = &bytes[..bytes.len().min(SCREEN)];
    let mut text = String::from_utf8_lossy(shown).into_owned();
    if bytes.len() > SCREEN {
        let more = bytes.len() - SCREEN;
        text.push_str(&format!(
            "\n… {more} more bytes: `aws s3 cp s3://{bucket}/{key} FILE` keeps the whole object.\n"
        ));
    }
    (text, 0)
}

/// `aws s3 sync DIR s3://bucket/prefix [--delete]`: uploads what is new or changed (another
/// size, or newer here than there) and, with `--delete`, removes what is gone here.
pub async fn sync(s3: &Client, args: &Args, files: &Workstation, terminal: bool) -> Done {
    let [source, dest] = args.positional.as_slice() else {
        return usage("sync");
    };
    let (Some((bucket, prefix)), None) = (split(dest), split(source)) else {
        return (
            "\nThis shell's aws s3 sync uploads a folder to a bucket: \
             `aws s3 sync site s3://bucket/`.\n"
                .to_string(),
            USAGE,
        );
    };
    if !files.stat(source).is_ok_and(|found| found.is_dir()) {
        return (
            format!("\nThe user-provided path {source} does not exist.\n"),
            255,
        );
    }
    let prefix = if prefix.is_empty() || prefix.ends_with('/') {
        prefix.to_string()
    } else {
        format!("{prefix}/")
    };
    let mut there = std::collections::BTreeMap::new();
    let mut pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(&prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for object in page.contents() {
                    let key = object.key().unwrap_or_default().to_string();
                    let size = object.size().unwrap_or(0).max(0) as u64;
                    let modified = object.last_modified().map_or(0, |at| at.secs());
                    there.insert(key, (size, modified));
                }
            }
            Err(error) => {
                let text = failure::one_line(Operation::ListObjectsV2, &error);
                return (format!("fatal error: {text}\n"), 1);
            }
        }
    }
    let here = upload_tree(files, source, bucket, &prefix);
    let mut jobs: Vec<Job> = here
        .iter()
        .filter(|job| match job {
            Job::Upload {
                local, key, size, ..
            } => match there.get(key) {
                None => true,
                Some((remote_size, remote_modified)) => {
                    let modified = files.stat(local).map_or(0, |found| found.modified);
                    remote_size != size || modified > *remote_modified
                }
            },
            _ => false,
        })
        .cloned()
        .collect();
    if args.param("delete").is_some() {
        let kept: std::collections::BTreeSet<&str> = here
            .iter()
            .filter_map(|job| match job {
                Job::Upload { key, .. } => Some(key.as_str()),
                _ => None,
            })
            .collect();
        jobs.extend(
            there
                .keys()
                .filter(|key| !kept.contains(key.as_str()))
                .map(|key| Job::Delete {
                    bucket: bucket.to_string(),
                    key: key.clone(),
                }),
        );
    }
    run(s3, jobs, files, &Options::of(args, terminal)).await
}

fn usage(command: &str) -> Done {
    (
        format!(
            "usage: aws s3 {command} <LocalPath> <S3Uri> or <S3Uri> <LocalPath>\n\
             aws: error: the following arguments are required: paths\n"
        ),
        USAGE,
    )
}

fn upload(local: String, size: u64, bucket: &str, key: &str) -> Job {
    Job::Upload {
        local,
        bucket: bucket.to_string(),
        key: key.to_string(),
        size,
    }
}

/// Every file under the folder `dir`, as uploads under `prefix`, in name order. Links are not
/// followed, as a learner's folder may link anywhere.
fn upload_tree(files: &Workstation, dir: &str, bucket: &str, prefix: &str) -> Vec<Job> {
    let prefix = if prefix.is_empty() || prefix.ends_with('/') {
        prefix.to_string()
    } else {
        format!("{prefix}/")
    };
    let mut jobs = Vec::new();
    // Folders to walk, each with its keys' part below `dir`.
    let mut pending = vec![(dir.to_string(), String::new())];
    while let Some((folder, under)) = pending.pop() {
        let Ok(entries) = files.list(&folder) else {
            continue;
        };
        for (name, entry) in entries {
            let path = workstation::join(&folder, &name);
            let key = format!("{under}{name}");
            if entry.is_dir() {
                pending.push((path, format!("{key}/")));
            } else if entry.is_file() {
                jobs.push(upload(path, entry.size, bucket, &format!("{prefix}{key}")));
            }
        }
    }
    jobs.sort_by(|a, b| shown_key(a).cmp(shown_key(b)));
    jobs
}

fn shown_key(job: &Job) -> &str {
    match job {
        Job::Upload { key, .. } | Job::Download { key, .. } | Job::Delete { key, .. } => key,
    }
}

/// A local path as the CLI shows it: as written, `./` before a file of the working folder.
fn shown(local: &str) -> String {
    let local = local.strip_prefix("./").unwrap_or(local);
    if local.contains('/') {
        local.to_string()
    } else {
        format!("./{local}")
    }
}

/// Moves every file, drawing one bar for all their bytes.
async fn run(s3: &Client, jobs: Vec<Job>, files: &Workstation, options: &Options) -> Done {
    let total: u64 = jobs
        .iter()
        .map(|job| match job {
            Job::Upload { size, .. } | Job::Download { size, .. } => *size,
            Job::Delete { .. } => 0,
        })
        .sum();
    let bar = if options.quiet || options.dry_run || !options.bar {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "Completed {bytes}/{total_bytes} ({bytes_per_sec}) with {msg} file(s) remaining",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut printed = String::new();
    let mut status = 0;
    let count = jobs.len();
    for (done, job) in jobs.into_iter().enumerate() {
        bar.set_message((count - done).to_string());
        let (verb, location) = match &job {
            Job::Upload {
                local, bucket, key, ..
            } => ("upload", format!("{} to s3://{bucket}/{key}", shown(local))),
            Job::Download {
                bucket, key, local, ..
            } => (
                "download",
                format!("s3://{bucket}/{key} to {}", shown(local)),
            ),
            Job::Delete { bucket, key } => ("delete", format!("s3://{bucket}/{key}")),
        };
        let outcome = if options.dry_run {
            Ok(())
        } else {
            perform(s3, &job, files, options, &bar).await
        };
        // After Ctrl-C the CLI stops where it is: what was moved stays, nothing more starts.
        if outcome.is_err() && crate::interrupt::requested() {
            status = crate::interrupt::STATUS;
            break;
        }
        let line = match outcome {
            Ok(()) if options.dry_run => format!("(dryrun) {verb}: {location}\n"),
            Ok(()) => format!("{verb}: {location}\n"),
            Err(error) => {
                status = 1;
                format!("{verb} failed: {location} {error}\n")
            }
        };
        if !options.quiet || status != 0 {
            bar.suspend(|| printed.push_str(&line));
        }
    }
    bar.finish_and_clear();
    if status == crate::interrupt::STATUS {
        super::cleared_after_ctrl_c(&bar);
    }
    (printed, status)
}

async fn perform(
    s3: &Client,
    job: &Job,
    files: &Workstation,
    options: &Options,
    bar: &ProgressBar,
) -> Result<(), String> {
    match job {
        Job::Upload {
            local,
            bucket,
            key,
            size,
        } => {
            let content_type = options.content_type.clone().or_else(|| {
                mime_guess::from_path(local)
                    .first()
                    .map(|mime| mime.essence_str().to_string())
            });
            // This machine's large files go in parts, read as they go; an emulated machine's
            // are small, and read whole.
            let on_host = files.host_path(local);
            if let Some(path) = on_host.as_deref().filter(|_| *size > PART) {
                upload_parts(s3, path, bucket, key, *size, content_type, options, bar).await
            } else {
                let body = match &on_host {
                    Some(path) => ByteStream::from_path(path)
                        .await
                        .map_err(|error| error.to_string()),
                    None => files
                        .read(local)
                        .map(ByteStream::from)
                        .map_err(|error| crate::strerror::strerror(&error)),
                }?;
                let put = s3
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .set_content_type(content_type)
                    .set_cache_control(options.cache_control.clone())
                    .body(body)
                    .send();
                // A request dropped half-sent is never stored: the object stays as it was.
                crate::interrupt::race(put)
                    .await
                    .map_err(|stop| stop.to_string())?
                    .map_err(|error| failure::one_line(Operation::PutObject, &error))?;
                bar.inc(*size);
                Ok(())
            }
        }
        Job::Download {
            bucket,
            key,
            local,
            size,
        } => {
            let fetched = async {
                let object = s3
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|error| failure::one_line(Operation::GetObject, &error))?;
                object
                    .body
                    .collect()
                    .await
                    .map_err(|error| error.to_string())
            };
            // The file is written whole once all of it arrived, so Ctrl-C leaves no half.
            let bytes = crate::interrupt::race(fetched)
                .await
                .map_err(|stop| stop.to_string())??
                .into_bytes();
            if let Some((parent, _)) = local
                .rsplit_once('/')
                .filter(|(parent, _)| !parent.is_empty())
            {
                files
                    .create_dir_all(parent)
                    .map_err(|error| crate::strerror::strerror(&error))?;
            }
            files
                .write_whole(local, &bytes)
                .map_err(|error| crate::strerror::strerror(&error))?;
            bar.inc(*size);
            Ok(())
        }
        Job::Delete { bucket, key } => s3
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| failure::one_line(Operation::DeleteObject, &error)),
    }
}

/// A large file in 8 MiB parts, as the CLI sends it; an upload that fails is aborted so no
/// parts are left behind to pay for.
#[allow(clippy::too_many_arguments)]
async fn upload_parts(
    s3: &Client,
    local: &std::path::Path,
    bucket: &str,
    key: &str,
    size: u64,
    content_type: Option<String>,
    options: &Options,
    bar: &ProgressBar,
) -> Result<(), String> {
    let started = s3
        .create_multipart_upload()
        .bucket(bucket)
        .key(key)
        .set_content_type(content_type)
        .set_cache_control(options.cache_control.clone())
        .send()
        .await
        .map_err(|error| failure::one_line(Operation::CreateMultipartUpload, &error))?;
    let upload_id = started.upload_id().unwrap_or_default().to_string();
    let mut parts = Vec::new();
    let mut offset = 0;
    let mut number = 1;
    while offset < size {
        let length = PART.min(size - offset);
        let sent = async {
            let body = ByteStream::read_from()
                .path(local)
                .offset(offset)
                .length(Length::Exact(length))
                .build()
                .await
                .map_err(|error| error.to_string())?;
            s3.upload_part()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .part_number(number)
                .body(body)
                .send()
                .await
                .map_err(|error| failure::one_line(Operation::UploadPart, &error))
        };
        // Ctrl-C aborts the upload like any failure, so no parts are left to pay for.
        let sent = crate::interrupt::race(sent)
            .await
            .unwrap_or_else(|stop| Err(stop.to_string()));
        match sent {
            Ok(part) => parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(part.e_tag().map(str::to_string))
                    .build(),
            ),
            Err(error) => {
                let _ = s3
                    .abort_multipart_upload()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .send()
                    .await;
                return Err(error);
            }
        }
        bar.inc(length);
        offset += length;
        number += 1;
    }
    s3.complete_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(&upload_id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|error| failure::one_line(Operation::CompleteMultipartUpload, &error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_read_as_the_cli_shows_them() {
        assert_eq!(shown("cat.jpg"), "./cat.jpg");
        assert_eq!(shown("./cat.jpg"), "./cat.jpg");
        assert_eq!(shown("site/index.html"), "site/index.html");
        assert_eq!(shown("/tmp/x.png"), "/tmp/x.png");
    }

    #[test]
    fn a_folder_becomes_keys_under_the_prefix_in_order() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir(dir.path().join("img")).expect("mkdir");
        std::fs::write(dir.path().join("index.html"), "<img src=img/cat.jpg>").expect("write");
        std::fs::write(dir.path().join("img/cat.jpg"), "jpeg").expect("write");
        let files = Workstation::host(dir.path());
        let keys: Vec<String> = upload_tree(&files, ".", "b", "site")
            .iter()
            .map(|job| shown_key(job).to_string())
            .collect();
        assert_eq!(keys, ["site/img/cat.jpg", "site/index.html"]);
    }
}
