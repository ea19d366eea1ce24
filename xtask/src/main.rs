//! The project's own commands: `cargo xtask test`, `cargo xtask demo`, `cargo xtask bench`.

mod interpreters;
mod python;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <test|demo|bench>

  test    fmt check, clippy, cargo test, ruff, build the abi3 wheel, stubtest, and pytest
          on the oldest and newest Python found (3.10 and 3.13), each against ops 3.x and
          ops 2.10
  demo    build the package into a local venv and run the example charm through a few
          state transitions
  bench   time this project against the alternatives (see BENCHMARKS.md)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => python::test(&args[1..]),
        Some("demo") => python::demo(),
        Some("bench") => python::bench(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
