use std::process::ExitCode;

fn main() -> ExitCode {
    cloudlings::run()
}
