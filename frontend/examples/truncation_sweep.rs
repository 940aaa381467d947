//! Development aid: compiles prefixes of every `.py` file under a folder
//! (cut at 16 points each) and reports any internal error (a panic caught
//! by `compile_source`) and any code object the stack verifier rejects;
//! neither must ever happen.
use pyreg_frontend::compile::{compile_source, CompileError};

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

fn main() {
    let root = std::env::args().nth(1).expect("a folder");
    let mut files = Vec::new();
    walk(std::path::Path::new(&root), &mut files);
    files.sort();
    let (mut runs, mut internal, mut rejected) = (0, 0, 0);
    for f in files.iter().step_by(7) {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        for k in 1..=16 {
            let mut cut = src.len() * k / 17;
            while !src.is_char_boundary(cut) {
                cut -= 1;
            }
            runs += 1;
            match compile_source(&src[..cut], "x.py") {
                Err(CompileError::Internal(m)) => {
                    internal += 1;
                    println!("{} cut {cut}: {m}", f.display());
                }
                Ok(code) => {
                    for c in code.walk() {
                        if let Err(e) = pyreg_spec::verify::verify(&c) {
                            rejected += 1;
                            println!("{} cut {cut}: {e}", f.display());
                        }
                    }
                }
                Err(_) => {}
            }
        }
    }
    println!("{runs} compilations, {internal} internal errors, {rejected} code objects rejected by the verifier");
}
