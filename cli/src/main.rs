//! `pyreg`: run, disassemble and check Python programs on pyreg's engines.

mod check;
mod compile_compare;
mod corpus;
mod direct;
mod load;
mod run;
mod stats;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// A formally specified register virtual machine for Python 3.9 bytecode.
#[derive(Parser)]
#[command(name = "pyreg", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// An engine that executes code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Engine {
    /// The optimized register VM.
    Vm,
    /// The same runtime executing stack code, for controlled comparison.
    VmStack,
    /// The reference semantics of CPython 3.9 bytecode.
    SpecStack,
    /// The reference semantics of the register ISA.
    SpecReg,
}

/// Where code objects come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Frontend {
    /// pyreg's own compiler to CPython 3.9 bytecode.
    Native,
    /// pyreg's own compiler straight to register code.
    NativeReg,
    /// CPython 3.9 compiles the source (the bridge).
    Cpython,
}

/// Which form `dis` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Form {
    /// CPython 3.9 stack bytecode, as `python3.9 -m dis` prints it.
    Stack,
    /// The translated register code.
    Reg,
    /// Both, side by side.
    Both,
}

#[derive(Subcommand)]
enum Command {
    /// Run a Python program.
    Run {
        /// The engine that executes the program.
        #[arg(long, value_enum, default_value = "vm")]
        engine: Engine,
        /// How the source becomes code objects (pyreg's own compiler by
        /// default; `cpython` asks CPython 3.9).
        #[arg(long, value_enum, default_value = "native")]
        frontend: Frontend,
        /// Report instructions executed and their rate on standard error.
        #[arg(long)]
        stats: bool,
        /// The program: a `.py` or `.pyc` file.
        program: PathBuf,
        /// Arguments passed to the program as `sys.argv[1:]`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Disassemble a program (`.py` compiled by the chosen front end, or `.pyc`).
    Dis {
        /// Which code to show.
        #[arg(long, value_enum, default_value = "stack")]
        form: Form,
        /// How the source becomes code objects (`native`, `native-reg` or
        /// `cpython`).
        #[arg(long, value_enum, default_value = "cpython")]
        frontend: Frontend,
        /// The program.
        program: PathBuf,
    },
    /// Run a program on spec-stack and on spec-reg and compare the
    /// instructions each executed, opcode by opcode.
    Stats {
        /// End with one JSON object holding the summary.
        #[arg(long)]
        json: bool,
        /// Compare translated register code (native front end, then the
        /// translator) with directly compiled register code (`native-reg`):
        /// code size and instructions executed on spec-reg. PROGRAM may be
        /// a folder: every numbered or `bm_*` program in it, and the totals.
        #[arg(long)]
        direct: bool,
        /// The program: a `.py` or `.pyc` file.
        program: PathBuf,
        /// Arguments passed to the program as `sys.argv[1:]`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Compile every `.py` file under the given folders with the native
    /// front end and with CPython 3.9, and report the share of code objects
    /// whose instruction streams are identical.
    CompileCompare {
        /// End with one JSON object holding the counts.
        #[arg(long)]
        json: bool,
        /// How many differing code objects to list.
        #[arg(long, default_value_t = 0)]
        examples: usize,
        /// Also compare every file's symbol table with CPython's `symtable`
        /// module.
        #[arg(long)]
        symtables: bool,
        /// Folders (or single files) to compare.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// The differential oracle on one program: run it on spec-stack,
    /// spec-reg, vm and vm-stack and compare outcome, output and final
    /// globals with spec-stack's. Exit status 0 when no engine differs
    /// (gaps of the VM and exhausted runs are reported, not failures), 1
    /// when one differs or gets stuck, 2 when the program does not compile.
    Check {
        /// How the source becomes code objects (`native` or `cpython`).
        #[arg(long, value_enum, default_value = "native")]
        frontend: Frontend,
        /// Fuel of the reference engines (backward jumps, calls); a run
        /// that runs out is exhausted and its comparisons poisoned.
        #[arg(long, default_value_t = pyreg_spec::interp::driver::DEFAULT_FUEL)]
        fuel: u64,
        /// List spec-stack's final globals of `__main__` as compared.
        #[arg(long)]
        globals: bool,
        /// The program: a `.py` or `.pyc` file.
        program: PathBuf,
    },
    /// Compile, load and verify every `.py` file under the given folders.
    Corpus {
        /// End with one JSON object holding the counts.
        #[arg(long)]
        json: bool,
        /// How many failures to list.
        #[arg(long, default_value_t = 50)]
        max_failures: usize,
        /// Compile with the direct register compiler instead (through the
        /// native front end for the headers), and count the code objects
        /// compiled directly and the fallbacks by construct.
        #[arg(long)]
        direct: bool,
        /// Folders (or single files) to check.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            engine,
            frontend,
            program,
            args,
            stats,
        } => run(engine, frontend, &program, args, stats),
        Command::Dis {
            form,
            frontend,
            program,
        } => dis(form, frontend, &program),
        Command::Stats {
            json,
            direct,
            program,
            args,
        } => {
            if direct {
                direct::run(&program, &args, json)
            } else {
                stats::run(&program, &args, json)
            }
        }
        Command::Check {
            frontend,
            fuel,
            globals,
            program,
        } => check(frontend, fuel, globals, &program),
        Command::Corpus {
            json,
            max_failures,
            direct,
            paths,
        } => {
            if direct {
                direct::corpus(&paths, json, max_failures)
            } else {
                corpus::run(&paths, json, max_failures)
            }
        }
        Command::CompileCompare {
            json,
            examples,
            symtables,
            paths,
        } => compile_compare::run(&paths, json, examples, symtables),
    }
}

/// The usage-error status, as for an engine or option not available yet.
const EXIT_UNAVAILABLE: u8 = 2;

fn value_name<T: ValueEnum>(v: T) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

fn run(
    engine: Engine,
    frontend: Frontend,
    program: &std::path::Path,
    args: Vec<String>,
    stats: bool,
) -> ExitCode {
    let compiler = match frontend {
        Frontend::Cpython => load::SourceCompiler::Cpython,
        Frontend::Native => load::SourceCompiler::Native,
        Frontend::NativeReg => {
            if matches!(engine, Engine::SpecStack | Engine::VmStack) {
                eprintln!(
                    "pyreg run: front end `native-reg` compiles straight to register code, \
                     which the stack engine `{}` cannot run; use `--engine spec-reg` or \
                     `--engine vm`, or `--frontend native` for stack code",
                    value_name(engine)
                );
                return ExitCode::from(EXIT_UNAVAILABLE);
            }
            load::SourceCompiler::NativeReg
        }
    };
    if matches!(engine, Engine::Vm | Engine::VmStack) {
        return run::run_vm(program, stats, compiler, engine == Engine::VmStack);
    }
    run::run_spec(program, args, stats, engine == Engine::SpecReg, compiler)
}

fn check(frontend: Frontend, fuel: u64, globals: bool, program: &std::path::Path) -> ExitCode {
    let compiler = match frontend {
        Frontend::Cpython => load::SourceCompiler::Cpython,
        Frontend::Native => load::SourceCompiler::Native,
        Frontend::NativeReg => {
            eprintln!("pyreg check: front end `native-reg` is not implemented yet");
            return ExitCode::from(EXIT_UNAVAILABLE);
        }
    };
    check::run(program, compiler, fuel, globals)
}

fn dis(form: Form, frontend: Frontend, program: &std::path::Path) -> ExitCode {
    let compiler = match frontend {
        Frontend::Cpython => load::SourceCompiler::Cpython,
        Frontend::Native => load::SourceCompiler::Native,
        Frontend::NativeReg => return dis_native_reg(form, program),
    };
    let code = match load::load_program_with(program, compiler) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if form == Form::Stack {
        print!("{}", pyreg_spec::dis::disassemble_recursive(&code));
        return ExitCode::SUCCESS;
    }
    for (i, c) in code.walk().iter().enumerate() {
        let rc = match pyreg_translator::translate(c) {
            Ok(rc) => rc,
            Err(e) => {
                eprintln!("pyreg dis: {e}");
                return ExitCode::FAILURE;
            }
        };
        if i > 0 {
            println!();
        }
        println!("Register code of {}:", pyreg_spec::dis::code_repr(c));
        if form == Form::Reg {
            print!("{}", pyreg_spec::reg::listing(&rc));
        } else {
            print!("{}", pyreg_spec::reg::side_by_side(&rc));
            let table = pyreg_spec::reg::exception_table_text(&rc);
            if !table.is_empty() {
                println!("exception table:");
                print!("{table}");
            }
        }
    }
    ExitCode::SUCCESS
}

/// `pyreg dis --frontend native-reg`: the register code of every code
/// object, directly compiled or (for a fallback) translated (the default
/// form, `stack`, shows it too: there is no stack code).
fn dis_native_reg(form: Form, program: &std::path::Path) -> ExitCode {
    if form == Form::Both {
        eprintln!(
            "pyreg dis: front end `native-reg` makes no stack code to show beside the \
             register code; use `--form reg`"
        );
        return ExitCode::from(EXIT_UNAVAILABLE);
    }
    let code = match load::load_program_with(program, load::SourceCompiler::NativeReg) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    for (i, c) in code.walk().iter().enumerate() {
        let direct = pyreg_frontend::regcompile::registered(c).is_some();
        let rc = match load::direct_for_machine(c) {
            Ok(rc) => rc,
            Err(e) => {
                eprintln!("pyreg dis: {e}");
                return ExitCode::FAILURE;
            }
        };
        if i > 0 {
            println!();
        }
        println!(
            "Register code of {} ({}):",
            pyreg_spec::dis::code_repr(c),
            if direct {
                "compiled directly"
            } else {
                "fallback: stack code translated"
            }
        );
        print!("{}", pyreg_spec::reg::listing(&rc));
    }
    ExitCode::SUCCESS
}
