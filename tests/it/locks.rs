//! No learner waits for another: a request locks its caller's account only, so an account
//! held by a long request (a big change, a command on its instance) holds up nobody else.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use cloudlings_emulator::World;
use cloudlings_emulator::http::respond;
use cloudlings_emulator::state::Credentials;
use http::{Method, Uri};

use crate::hostile::sign;

const DESCRIBE: &str = "/?Action=DescribeInstances&Version=2016-11-15";

/// Sends a signed DescribeInstances for `keys` on a thread of its own; its status arrives on
/// the channel.
fn describe(world: &Arc<World>, keys: &Credentials) -> mpsc::Receiver<u16> {
    let (sent, answered) = mpsc::channel();
    let world = world.clone();
    let headers = sign("GET", DESCRIBE, "ec2", b"", &keys.access_key, &keys.secret);
    std::thread::spawn(move || {
        let uri: Uri = DESCRIBE.parse().expect("uri");
        let reply = respond(&world, &Method::GET, &uri, &headers, b"");
        let _ = sent.send(reply.status);
    });
    answered
}

#[test]
fn an_account_held_by_a_long_request_holds_up_no_other_account() {
    let world = Arc::new(World::in_memory());
    let busy = world.add_account();
    let other = world.add_account();

    let held = world.account(&busy.account).expect("account");
    let guard = held.lock();
    assert_eq!(
        describe(&world, &other).recv_timeout(Duration::from_secs(10)),
        Ok(200),
        "another learner is answered while the busy account is held"
    );
    // The busy account's own request does wait: the lock is the account's, not a pretence.
    let own = describe(&world, &busy);
    assert!(own.recv_timeout(Duration::from_millis(300)).is_err());
    drop(guard);
    assert_eq!(own.recv_timeout(Duration::from_secs(10)), Ok(200));
}
