//! Prints the rendering and diagnostics of the SBOM/VEX files given as
//! arguments: `cargo run -p medvigil-sbom --example render -- FILE...`.

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match medvigil_sbom::read(&path, &bytes) {
            Ok(parsed) => {
                print!("{}", medvigil_sbom::render::render(&parsed.value));
                for d in &parsed.diagnostics {
                    println!("diagnostic {d}");
                }
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}
