//! The project's own commands: `cargo xtask test`, `cargo xtask demo`, `cargo xtask bench`,
//! `cargo xtask wheel`, `cargo xtask conformance`.

mod beside;
mod conformance;
mod dist;
mod interpreters;
mod python;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <test|demo|bench|wheel|conformance|beside>

  test    fmt check, clippy, cargo test, ruff, build the release wheel and check it as
          `wheel` does (tag, auditwheel show, size), stubtest, and pytest from that wheel
          on the oldest and newest Python found (3.10 and 3.13), each against ops 3.x and
          ops 2.10 (ops 3.x with ops[testing], so ops-scenario is installed beside);
          then the checks of `beside` and `conformance`
  demo    build the package into a local venv and run the example charm through a few
          state transitions
  bench   time this project against the alternatives (see BENCHMARKS.md)
  wheel   the release artifacts into target/dist: the abi3 wheel for manylinux2014
          x86_64 (stripped, built with zig) and the sdist; checks the wheel with
          auditwheel show and repair, installs the sdist in a fresh venv and smoke-tests
          it, and prints their sizes. `--target TRIPLE` (repeatable) adds a wheel zig
          cross-builds: aarch64-unknown-linux-gnu, x86_64- and aarch64-unknown-linux-musl,
          x86_64- and aarch64-apple-darwin
  conformance
          the originals' own test suites, ops-scenario 8.9.0's and 5.8.1's (from their
          sdists on PyPI, into target/), run against the release wheel: fails on a
          failure not in xtask/conformance/<version>.known-differences.txt, or on a
          listed one that passes
  beside  the release wheel installed beside ops[testing] in fresh venvs, with pip and
          with uv, in both orders; then each of the two uninstalled in turn: the other
          must still run a charm";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => python::test(&args[1..]),
        Some("demo") => python::demo(),
        Some("bench") => python::bench(&args[1..]),
        Some("wheel") => dist::wheel(&args[1..]),
        Some("conformance") => python::conformance(),
        Some("beside") => python::beside(),
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
