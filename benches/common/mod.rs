//! What the benchmarks share: clients in a loop, reported as p50/p99 and requests per second.

use std::time::{Duration, Instant};

/// Runs `call` from `clients` concurrent tasks for `length` and prints the latencies.
pub async fn measure<F, Fut>(name: &str, clients: usize, length: Duration, call: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while start.elapsed() < length {
                let began = Instant::now();
                call().await;
                latencies.push(began.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {name:<36} {clients:>2} client(s): p50 {:7.3} ms  p99 {:7.3} ms  {:8.0} req/s",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.len() as f64 / elapsed
    );
}
