//! Development aid: compares the native compilation of every corpus
//! program with CPython's golden code objects, printing each difference.
use pyreg_frontend::compare::compare;
use pyreg_frontend::compile::compile_source;
use pyreg_frontend::marshal::load_code;

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names: Vec<_> = std::fs::read_dir(root.join("tests/programs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    names.sort();
    let (mut same, mut fields, mut total) = (0, 0, 0);
    for p in names {
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        if !stem.contains(&filter) {
            continue;
        }
        let src = std::fs::read_to_string(&p).unwrap();
        let file = p.file_name().unwrap().to_string_lossy().to_string();
        let golden = load_code(
            &std::fs::read(root.join(format!("tests/golden/dis/{stem}.marshal"))).unwrap(),
        )
        .unwrap();
        match compile_source(&src, &file) {
            Ok(code) => {
                if std::env::var("CONSTS").is_ok() {
                    consts(&golden, &code);
                }
                if std::env::var("DIS").is_ok() {
                    let a = pyreg_spec::dis::disassemble_recursive(&golden);
                    let b = pyreg_spec::dis::disassemble_recursive(&code);
                    let strip = |s: &str| {
                        s.lines()
                            .map(|l| l.split(" at 0x").next().unwrap_or(l).to_string())
                            .collect::<Vec<_>>()
                            .join("\n")
                    };
                    let (a, b) = (strip(&a), strip(&b));
                    print!(
                        "{}",
                        similar::TextDiff::from_lines(&a, &b)
                            .unified_diff()
                            .context_radius(3)
                            .header("cpython", "native")
                    );
                }
                for c in compare(&code, &golden) {
                    total += 1;
                    same += usize::from(c.identical_stream);
                    fields += usize::from(c.identical_fields);
                    if let Some(d) = c.difference {
                        println!("{stem}: {}: {d}", c.name);
                    }
                }
            }
            Err(e) => {
                let n = golden.walk().len();
                total += n;
                println!("{stem}: ERROR {e}");
            }
        }
    }
    println!("identical streams {same}/{total}, identical fields {fields}/{total}");
}

/// Prints the constants of both module code objects (debugging aid).
#[allow(dead_code)]
fn consts(a: &pyreg_spec::code::CodeObject, b: &pyreg_spec::code::CodeObject) {
    for i in 0..a.consts.len().max(b.consts.len()) {
        println!(
            "{i}: {:?} | {:?}",
            a.consts
                .get(i)
                .map(|c| format!("{c:?}").chars().take(60).collect::<String>()),
            b.consts
                .get(i)
                .map(|c| format!("{c:?}").chars().take(60).collect::<String>())
        );
    }
}
