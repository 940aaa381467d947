//! `pyreg stats --direct`: translated register code (native front end,
//! then the translator) against directly compiled register code (the
//! direct register compiler, `--frontend native-reg`): static code size and
//! instructions executed on spec-reg, per program and in total, with the
//! code objects that fell back to the native compiler.

use crate::load::{direct_for_machine, SourceCompiler};
use crate::run::{execute_with, gather_code_with, translate_for_machine};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The comparison for one program.
#[derive(Serialize, Default, Clone)]
pub struct Comparison {
    /// The program.
    pub program: String,
    /// Code objects of the program and its modules.
    pub code_objects: usize,
    /// Of those, compiled directly (the rest fell back).
    pub direct_code_objects: usize,
    /// Register instructions of the translated code objects.
    pub translated_instrs: usize,
    /// Register instructions of the directly compiled program.
    pub direct_instrs: usize,
    /// Encoded bytes of the translated register code.
    pub translated_bytes: usize,
    /// Encoded bytes of the directly compiled register code.
    pub direct_bytes: usize,
    /// Instructions executed on spec-reg, translated code.
    pub translated_executed: u64,
    /// Instructions executed on spec-reg, directly compiled code.
    pub direct_executed: u64,
    /// `MOVE`s among them, translated code.
    pub translated_moves: u64,
    /// `MOVE`s among them, directly compiled code.
    pub direct_moves: u64,
    /// Whether both runs printed the same and ended the same way.
    pub same_behaviour: bool,
    /// The fallbacks: `qualname (line N): construct`.
    pub fallbacks: Vec<String>,
    /// Executed instructions by opcode: (translated, direct).
    pub profile: std::collections::BTreeMap<&'static str, (u64, u64)>,
}

fn sizes(rc: &pyreg_spec::reg::RegCode) -> Result<(usize, usize), String> {
    let bytes = pyreg_spec::reg_encode::code_bytes(&rc.instrs).map_err(|e| e.to_string())?;
    Ok((rc.instrs.len(), bytes))
}

/// Measures one program.
pub fn compare(program: &Path, args: &[String]) -> Result<Comparison, String> {
    let mut c = Comparison {
        program: program.display().to_string(),
        ..Comparison::default()
    };
    for code in gather_code_with(program, SourceCompiler::Native)? {
        for co in code.walk() {
            let (n, b) = sizes(&translate_for_machine(&co)?)?;
            c.translated_instrs += n;
            c.translated_bytes += b;
        }
    }
    for code in gather_code_with(program, SourceCompiler::NativeReg)? {
        for co in code.walk() {
            c.code_objects += 1;
            if pyreg_frontend::regcompile::registered(&co).is_some() {
                c.direct_code_objects += 1;
            }
            if let Some(f) = pyreg_frontend::regcompile::fallback_of(&co) {
                c.fallbacks
                    .push(format!("{} (line {}): {}", f.qualname, f.line, f.reason));
            }
            let (n, b) = sizes(&direct_for_machine(&co)?)?;
            c.direct_instrs += n;
            c.direct_bytes += b;
        }
    }
    let run = |compiler| {
        execute_with(program, args.to_vec(), true, true, compiler).map_err(|e| e.message)
    };
    let t = run(SourceCompiler::Native)?;
    let d = run(SourceCompiler::NativeReg)?;
    c.translated_executed = t.executed;
    c.direct_executed = d.executed;
    c.translated_moves = t.profile.get("MOVE").copied().unwrap_or(0);
    c.direct_moves = d.profile.get("MOVE").copied().unwrap_or(0);
    for (k, n) in &t.profile {
        c.profile.entry(k).or_default().0 = *n;
    }
    for (k, n) in &d.profile {
        c.profile.entry(k).or_default().1 = *n;
    }
    c.same_behaviour = t.stdout == d.stdout && t.stderr == d.stderr && t.outcome == d.outcome;
    Ok(c)
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The programs `path` names: the file, or the programs of a folder
/// (numbered, as in the conformance corpus, or `bm_*`, as in `benches/`).
fn programs(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "py")
                        && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                            n.as_bytes().first().is_some_and(u8::is_ascii_digit)
                                || n.starts_with("bm_")
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Prints the comparison for `path` (a program or a folder of programs).
pub fn run(path: &Path, args: &[String], json: bool) -> ExitCode {
    let mut total = Comparison {
        program: "total".into(),
        same_behaviour: true,
        ..Comparison::default()
    };
    let mut failed = false;
    println!(
        "{:<36} {:>9} {:>8} {:>8} {:>8} {:>8} {:>12} {:>12} {:>6}",
        "program",
        "direct",
        "instrs T",
        "instrs D",
        "bytes T",
        "bytes D",
        "executed T",
        "executed D",
        "D/T"
    );
    let mut all = Vec::new();
    for p in programs(path) {
        let c = match compare(&p, args) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("pyreg stats: {}: {e}", p.display());
                failed = true;
                continue;
            }
        };
        let name = p
            .file_name()
            .map_or_else(|| c.program.clone(), |n| n.to_string_lossy().into_owned());
        println!(
            "{:<36} {:>4}/{:<4} {:>8} {:>8} {:>8} {:>8} {:>12} {:>12} {:>6.3}{}",
            name,
            c.direct_code_objects,
            c.code_objects,
            c.translated_instrs,
            c.direct_instrs,
            c.translated_bytes,
            c.direct_bytes,
            c.translated_executed,
            c.direct_executed,
            ratio(c.direct_executed, c.translated_executed),
            if c.same_behaviour {
                ""
            } else {
                "  DIFFERENT BEHAVIOUR"
            }
        );
        total.code_objects += c.code_objects;
        total.direct_code_objects += c.direct_code_objects;
        total.translated_instrs += c.translated_instrs;
        total.direct_instrs += c.direct_instrs;
        total.translated_bytes += c.translated_bytes;
        total.direct_bytes += c.direct_bytes;
        total.translated_executed += c.translated_executed;
        total.direct_executed += c.direct_executed;
        total.translated_moves += c.translated_moves;
        total.direct_moves += c.direct_moves;
        total.same_behaviour &= c.same_behaviour;
        total
            .fallbacks
            .extend(c.fallbacks.iter().map(|f| format!("{name}: {f}")));
        all.push(c);
    }
    if let [one] = all.as_slice() {
        let mut rows: Vec<_> = one
            .profile
            .iter()
            .filter(|(k, (a, b))| !k.starts_with('~') && a != b)
            .collect();
        rows.sort_by_key(|(_, (a, b))| std::cmp::Reverse(a.abs_diff(*b)));
        println!(
            "{:<36} {:>12} {:>12}",
            "opcodes executed differently", "translated", "direct"
        );
        for (k, (a, b)) in rows {
            println!("{k:<36} {a:>12} {b:>12}");
        }
    }
    let t = &total;
    println!(
        "total: {} programs; code objects compiled directly {} of {} ({} fallbacks); \
         static instructions translated {} direct {} ({:.3}); code bytes translated {} direct {} ({:.3}); \
         executed on spec-reg translated {} direct {} ({:.3}); moves executed translated {} direct {}",
        all.len(),
        t.direct_code_objects,
        t.code_objects,
        t.fallbacks.len(),
        t.translated_instrs,
        t.direct_instrs,
        ratio(t.direct_instrs as u64, t.translated_instrs as u64),
        t.translated_bytes,
        t.direct_bytes,
        ratio(t.direct_bytes as u64, t.translated_bytes as u64),
        t.translated_executed,
        t.direct_executed,
        ratio(t.direct_executed, t.translated_executed),
        t.translated_moves,
        t.direct_moves,
    );
    for f in &t.fallbacks {
        println!("fallback: {f}");
    }
    if json {
        match serde_json::to_string(&(all, &total)) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("pyreg stats: {e}");
                failed = true;
            }
        }
    }
    if failed || !total.same_behaviour {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The counts of `pyreg corpus --direct`.
#[derive(Serialize, Default)]
struct CorpusSummary {
    files: usize,
    files_not_compiled: usize,
    code_objects: usize,
    direct: usize,
    fallbacks: usize,
    fallback_code_objects: usize,
    by_reason: std::collections::BTreeMap<String, usize>,
    seconds: f64,
}

/// `pyreg corpus --direct`: compiles every `.py` file under `paths` with
/// the direct register compiler (nothing runs) and counts the code
/// objects compiled directly and the fallbacks, by construct. Every
/// directly compiled code object has passed the register verifier; a
/// rejection would show as a fallback whose reason names the verifier.
pub fn corpus(paths: &[PathBuf], json: bool, examples: usize) -> ExitCode {
    let start = std::time::Instant::now();
    let mut files = Vec::new();
    for p in paths {
        if let Err(e) = crate::corpus::python_files(p, &mut files) {
            eprintln!("pyreg corpus: {}: {e}", p.display());
            return ExitCode::FAILURE;
        }
    }
    let mut s = CorpusSummary::default();
    let mut shown = 0;
    for f in &files {
        s.files += 1;
        let Ok(bytes) = std::fs::read(f) else {
            s.files_not_compiled += 1;
            continue;
        };
        let Ok(src) = pyreg_frontend::parse::decode_source(&bytes) else {
            s.files_not_compiled += 1;
            continue;
        };
        let p = match pyreg_frontend::regcompile::compile_source_reg(&src, &f.display().to_string())
        {
            Ok(p) => p,
            Err(_) => {
                s.files_not_compiled += 1;
                continue;
            }
        };
        // (A final body compiled twice makes its nested code twice: count
        // the code objects the program holds.)
        let made: std::collections::HashSet<usize> = p
            .direct
            .iter()
            .map(|rc| std::sync::Arc::as_ptr(&rc.code) as usize)
            .collect();
        s.direct += p
            .code
            .walk()
            .iter()
            .filter(|c| made.contains(&(std::sync::Arc::as_ptr(c) as usize)))
            .count();
        s.fallbacks += p.fallbacks.len();
        for fb in &p.fallbacks {
            let n = fb.code.walk().len();
            s.fallback_code_objects += n;
            let reason = if fb.reason.starts_with("register verifier") {
                "register verifier rejected the output".to_string()
            } else {
                fb.reason.clone()
            };
            *s.by_reason.entry(reason).or_default() += 1;
            if shown < examples {
                shown += 1;
                println!(
                    "fallback: {}: {} (line {}): {}",
                    f.display(),
                    fb.qualname,
                    fb.line,
                    fb.reason
                );
            }
        }
        s.code_objects += p.code.walk().len();
    }
    s.seconds = start.elapsed().as_secs_f64();
    println!(
        "{} files ({} not compiled by the native front end); {} code objects: {} compiled directly, \
         {} fallbacks ({} code objects with what they nest)",
        s.files, s.files_not_compiled, s.code_objects, s.direct, s.fallbacks, s.fallback_code_objects
    );
    for (r, n) in &s.by_reason {
        println!("  {n:>6}  {r}");
    }
    if json {
        if let Ok(j) = serde_json::to_string(&s) {
            println!("{j}");
        }
    }
    ExitCode::SUCCESS
}
