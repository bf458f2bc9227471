//! kill -9 in the middle of a classroom: whatever a response confirmed is on the disk.
//! `benches/room.rs --kill` does the same at full scale; the flow is shared with it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[path = "../../benches/common/room.rs"]
mod room;
use room::Server;

const LEARNERS: usize = 4;
/// Long enough for every step of the lesson to be confirmed several times in a debug build.
const LESSONS_FOR: Duration = Duration::from_secs(4);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn what_a_response_confirmed_survives_kill_9() {
    let state = tempfile::tempdir().expect("state");
    let server = Server::start(state.path(), LEARNERS);
    let learners = server.learners();
    let keys = server.keys.clone();
    let image = learners[0].ubuntu_image().await;
    room::every(&learners, |l| async move { l.make_bucket().await }).await;

    let stop = Arc::new(AtomicBool::new(false));
    let tasks = room::drive(&learners, &image, &stop);
    tokio::time::sleep(LESSONS_FOR).await;
    let killed = std::time::Instant::now();
    // Every learner is in the middle of a call: the server dies with requests half done.
    server.kill();
    stop.store(true, Ordering::Relaxed);
    let logs = room::logs(tasks).await;

    let errors: Vec<String> = logs
        .iter()
        .flat_map(|log| &log.failures)
        .filter(|f| f.sample.ended() < killed)
        .map(|f| format!("{}: {}", f.sample.op.name(), f.message))
        .collect();
    assert!(errors.is_empty(), "errors before the kill: {errors:#?}");

    let again = Server::start(state.path(), LEARNERS);
    assert_eq!(again.keys, keys, "a restart prints the same keys");
    let verdict = again.verify(&logs).await;
    assert!(verdict.lost.is_empty(), "lost: {:#?}", verdict.lost);
    // A check of nothing proves nothing: every kind was confirmed and looked for.
    for (kind, checked) in &verdict.checked {
        assert!(*checked > 0, "no {kind} confirmed before the kill");
    }
    assert_eq!(verdict.checked.len(), 5, "{:?}", verdict.checked);
}
