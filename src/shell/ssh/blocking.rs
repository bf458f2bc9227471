//! The bridge between the synchronous shell and the asynchronous SSH client.
//!
//! russh's connections are futures. They run on a runtime of this module's own, one worker
//! thread started on first use, and a caller waits for them on its own thread. Callers are on
//! any thread: the shell's, a check's, or a test's async runtime (whose thread may be the only
//! one it has), so waiting must not need the caller's runtime: [`wait`] polls the future on the
//! calling thread while the client's runtime does the sockets and timers.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::runtime::Runtime;

/// The client's runtime; `None` when the process could not start its thread (out of threads
/// or memory), which callers see as a connection that could not be made.
fn runtime() -> Option<&'static Runtime> {
    static RUNTIME: OnceLock<Option<Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("ssh-client")
                .enable_all()
                .build()
                .inspect_err(|error| tracing::warn!(%error, "no thread for the SSH client"))
                .ok()
        })
        .as_ref()
}

/// Waits for `future` on this thread, at most `limit`; `None` when the limit passed (or there
/// is no runtime to run it). What the future spawns, and its sockets and timers, belong to the
/// client's runtime.
pub fn wait<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    let _context = runtime()?.enter();
    futures_executor::block_on(tokio::time::timeout(limit, future)).ok()
}

/// Runs `future` on the client's runtime, on its own. Without a runtime it is dropped, which
/// the channel it serves sees as the connection gone.
pub fn spawn<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    if let Some(runtime) = runtime() {
        runtime.spawn(future);
    }
}

/// Makes `socket` one the client's runtime can drive.
pub fn adopt(socket: std::net::TcpStream) -> std::io::Result<tokio::net::TcpStream> {
    let runtime = runtime().ok_or_else(|| std::io::Error::other("no thread for the SSH client"))?;
    let _context = runtime.enter();
    socket.set_nonblocking(true)?;
    tokio::net::TcpStream::from_std(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_works_from_inside_another_runtime_s_only_thread() {
        let outer = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let answer = outer.block_on(async {
            wait(Duration::from_secs(5), async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                42
            })
        });
        assert_eq!(answer, Some(42));
    }

    #[test]
    fn a_future_that_takes_too_long_is_given_up() {
        let never = std::future::pending::<()>();
        assert_eq!(wait(Duration::from_millis(20), never), None);
    }
}
