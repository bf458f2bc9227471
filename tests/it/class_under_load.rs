//! `kill -9` under a room's load: sixty learners in browsers walk lessons 1 and 2 at once, as
//! the benchmark's learners do; the class is killed in the middle and started again on its
//! state. Every step it told a learner passed, every instance and key pair whose making it
//! answered, is still there, and every learner's page comes back with the cookie they had.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// The benchmark's learners; the instructor's side of it is the benchmark's alone.
#[allow(dead_code)]
#[path = "../../benches/common/browser.rs"]
mod browser;

use crate::classroom::{Room, free_port};
use cloudlings::lesson::Course;

const LEARNERS: usize = 60;

#[test]
fn kill_9_in_the_middle_of_sixty_learners_loses_nothing_the_class_acknowledged() {
    let state = tempfile::tempdir().expect("state");
    let ports = (free_port(), free_port());
    let room = Room::start(state.path(), LEARNERS, ports);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let passes = Arc::new(AtomicUsize::new(0));
    let course = Arc::new(Course::embedded());
    let started = Instant::now();
    let walks: Vec<_> = (0..LEARNERS)
        .map(|n| {
            let (address, code) = (room.address.clone(), room.code.clone());
            let (course, passes) = (course.clone(), passes.clone());
            let state = state.path().to_path_buf();
            runtime.spawn(async move {
                let on_pass = |_: i64, _: &str| {
                    passes.fetch_add(1, Ordering::Relaxed);
                };
                browser::Walk {
                    address: &address,
                    code: &code,
                    name: &format!("learner {n}"),
                    course: &course,
                    lessons: 2,
                    state: &state,
                    think: Duration::from_millis(200),
                    on_pass: &on_pass,
                    slow: Duration::from_secs(30),
                }
                .run()
                .await
            })
        })
        .collect();

    // In the middle of lesson 2 for most: lesson 1's task and the launch passed, or about to.
    let wanted = LEARNERS * 2;
    while passes.load(Ordering::Relaxed) < wanted && started.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let at_kill = passes.load(Ordering::Relaxed);
    room.kill();
    let walked: Vec<browser::Walked> = runtime.block_on(async {
        let mut walked = Vec::new();
        for walk in walks {
            walked.push(walk.await.expect("a learner"));
        }
        walked
    });
    eprintln!(
        "killed after {:.1} s with {at_kill} tasks told passed",
        started.elapsed().as_secs_f64()
    );
    let cut = walked.iter().filter(|walk| walk.cut).count();
    assert!(
        cut > LEARNERS / 2,
        "the kill came mid-walk for most: {cut} cut"
    );
    let instances: usize = walked
        .iter()
        .map(|walk| walk.acknowledged.instances.len())
        .sum();
    assert!(
        instances > 0,
        "some instances were launched before the kill"
    );
    let steps: usize = walked
        .iter()
        .map(|walk| walk.acknowledged.steps.len())
        .sum();
    let key_pairs: usize = walked
        .iter()
        .map(|walk| walk.acknowledged.key_pairs.len())
        .sum();
    eprintln!(
        "{cut} cut mid-walk; acknowledged: {steps} steps, {instances} instances, {key_pairs} key pairs"
    );

    let room = Room::start(state.path(), LEARNERS, ports);
    let lost: Vec<String> = runtime.block_on(async {
        let mut lost = Vec::new();
        for walk in &walked {
            lost.extend(browser::missing(&room.address, state.path(), walk).await);
        }
        lost
    });
    assert!(lost.is_empty(), "lost after kill -9: {lost:#?}");
    room.kill();
}
