fn main() {
    std::process::exit(aoai_lint::cli::main());
}
