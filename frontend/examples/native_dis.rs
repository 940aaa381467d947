//! Development aid: the native compilation of a file, as `dis` lists it.
fn main() {
    let path = std::env::args().nth(1).expect("a .py file");
    let src = std::fs::read_to_string(&path).expect("readable");
    match pyreg_frontend::compile::compile_source(&src, &path) {
        Ok(code) => {
            for c in code.walk() {
                println!("{} {:?} lnotab {:?}", c.name, c.line_starts(), c.lnotab);
            }
            if std::env::var("DIS").is_ok() {
                print!("{}", pyreg_spec::dis::disassemble_recursive(&code));
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}
