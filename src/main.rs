// Parse trees are many small allocations freed by other threads: mimalloc handles that pattern
// far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(aoai_lint::cli::main());
}
