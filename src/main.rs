// Parse trees are many small allocations freed by other threads: mimalloc handles that pattern
// far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs on a thread with the workers' stack: configuration and `--var-file` files are parsed
/// here, before the workers start, and may nest as deep as any `.tf`.
fn main() {
    let cli = std::thread::Builder::new()
        .stack_size(aoai_lint::engine::THREAD_STACK_BYTES)
        .spawn(aoai_lint::cli::main);
    let code = match cli {
        // A panic has printed its message; 101 is Rust's own status for it.
        Ok(cli) => cli.join().unwrap_or(101),
        Err(error) => {
            eprintln!("aoai-lint: cannot start: {error}");
            2
        }
    };
    std::process::exit(code);
}
