//! kill -9 in the middle of a classroom: whatever a response confirmed outlives the server.
//! `benches/room.rs --kill` does the same at full scale; the flow is shared with it.

use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "../../benches/common/room.rs"]
mod room;
use room::Server;

const LEARNERS: usize = 4;
/// Lessons gone through before the kill: every step confirmed a few times over.
const LESSONS: u64 = 2 * LEARNERS as u64;
/// When to kill even if they are not done, on a machine busy with other tests.
const AT_MOST: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn what_a_response_confirmed_survives_kill_9() {
    let state = tempfile::tempdir().expect("state");
    let server = Server::start(state.path(), LEARNERS, 0);
    let learners = server.learners();
    let keys = server.keys.clone();
    let image = learners[0].ubuntu_image().await;
    room::every(&learners, |l| async move { l.make_bucket().await }).await;

    let progress = Arc::new(room::Progress::default());
    let tasks = room::drive(&learners, &image, &progress, None);
    let began = Instant::now();
    while progress.lessons() < LESSONS && began.elapsed() < AT_MOST {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let killed = Instant::now();
    // Every learner is in the middle of a call: the server dies with requests half done.
    server.kill();
    progress.stop();
    let logs = room::logs(tasks).await;

    let errors: Vec<String> = logs
        .iter()
        .flat_map(|log| &log.failures)
        .filter(|f| f.sample.ended() < killed)
        .map(|f| format!("{}: {}", f.sample.op.name(), f.message))
        .collect();
    assert!(errors.is_empty(), "errors before the kill: {errors:#?}");

    let again = Server::start(state.path(), LEARNERS, 0);
    assert_eq!(again.keys, keys, "a restart prints the same keys");
    let verdict = again.verify(&logs).await;
    assert!(verdict.lost.is_empty(), "lost: {:#?}", verdict.lost);
    // A check of nothing proves nothing: every kind was confirmed and looked for.
    for (kind, checked) in &verdict.checked {
        assert!(*checked > 0, "no {kind} confirmed before the kill");
    }
    assert_eq!(verdict.checked.len(), 5, "{:?}", verdict.checked);
}
