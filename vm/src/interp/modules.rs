//! Built-in modules: `math` and `sys`, made on first import. Their
//! functions are a table of name and rule, like the built-ins.

use super::{gap, Res, Vm};
use crate::dict::Dict;
use crate::heap::{ExcKind, Obj};
use crate::value::Value;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The top-level modules of CPython 3.9's standard library (built-in and
/// on disk, `_private` ones aside), as listed from
/// `sys.builtin_module_names` and `pkgutil.iter_modules` of the library:
/// importing one the VM does not provide is a gap, not a
/// `ModuleNotFoundError`.
const STDLIB: &[&str] = &[
    "__future__",
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "binhex",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "formatter",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "parser",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symbol",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "test",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "xxlimited",
    "xxsubtype",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

type Rule = fn(&mut Vm, &[Value]) -> Res<Value>;

/// Every module function: module, name, rule.
const TABLE: &[(&str, &str, Rule)] = &[
    ("math", "sqrt", |vm, a| {
        unary(vm, a, "sqrt", |x| {
            (x >= 0.0 || x.is_nan()).then(|| x.sqrt())
        })
    }),
    ("math", "exp", |vm, a| {
        unary(vm, a, "exp", |x| Some(x.exp()))
    }),
    ("math", "expm1", |vm, a| {
        unary(vm, a, "expm1", |x| Some(x.exp_m1()))
    }),
    ("math", "sin", |vm, a| {
        unary(vm, a, "sin", |x| (!x.is_infinite()).then(|| x.sin()))
    }),
    ("math", "cos", |vm, a| {
        unary(vm, a, "cos", |x| (!x.is_infinite()).then(|| x.cos()))
    }),
    ("math", "tan", |vm, a| {
        unary(vm, a, "tan", |x| (!x.is_infinite()).then(|| x.tan()))
    }),
    ("math", "asin", |vm, a| {
        unary(vm, a, "asin", |x| {
            (x.abs() <= 1.0 || x.is_nan()).then(|| x.asin())
        })
    }),
    ("math", "acos", |vm, a| {
        unary(vm, a, "acos", |x| {
            (x.abs() <= 1.0 || x.is_nan()).then(|| x.acos())
        })
    }),
    ("math", "atan", |vm, a| {
        unary(vm, a, "atan", |x| Some(x.atan()))
    }),
    ("math", "sinh", |vm, a| {
        unary(vm, a, "sinh", |x| Some(x.sinh()))
    }),
    ("math", "cosh", |vm, a| {
        unary(vm, a, "cosh", |x| Some(x.cosh()))
    }),
    ("math", "tanh", |vm, a| {
        unary(vm, a, "tanh", |x| Some(x.tanh()))
    }),
    ("math", "asinh", |vm, a| {
        unary(vm, a, "asinh", |x| Some(x.asinh()))
    }),
    ("math", "log2", |vm, a| {
        unary(vm, a, "log2", |x| (x > 0.0 || x.is_nan()).then(|| x.log2()))
    }),
    ("math", "log10", |vm, a| {
        unary(vm, a, "log10", |x| {
            (x > 0.0 || x.is_nan()).then(|| x.log10())
        })
    }),
    ("math", "log1p", |vm, a| {
        unary(vm, a, "log1p", |x| {
            (x > -1.0 || x.is_nan()).then(|| x.ln_1p())
        })
    }),
    ("math", "fabs", |vm, a| {
        unary(vm, a, "fabs", |x| Some(x.abs()))
    }),
    ("math", "degrees", |vm, a| {
        unary(vm, a, "degrees", |x| Some(x.to_degrees()))
    }),
    ("math", "radians", |vm, a| {
        unary(vm, a, "radians", |x| Some(x.to_radians()))
    }),
    ("math", "erf", |vm, a| unary(vm, a, "erf", |x| Some(erf(x)))),
    ("math", "log", log),
    ("math", "atan2", |vm, a| {
        binary(vm, a, "atan2", |x, y| Some(x.atan2(y)))
    }),
    ("math", "pow", |vm, a| binary(vm, a, "pow", pow)),
    ("math", "fmod", |vm, a| {
        binary(vm, a, "fmod", |x, y| {
            (y != 0.0 && !x.is_infinite() || y.is_nan() || x.is_nan()).then(|| x % y)
        })
    }),
    ("math", "copysign", |vm, a| {
        binary(vm, a, "copysign", |x, y| Some(x.copysign(y)))
    }),
    ("math", "hypot", hypot),
    ("math", "floor", |vm, a| {
        rounding(vm, a, "floor", f64::floor)
    }),
    ("math", "ceil", |vm, a| rounding(vm, a, "ceil", f64::ceil)),
    ("math", "trunc", |vm, a| {
        rounding(vm, a, "trunc", f64::trunc)
    }),
    ("math", "isfinite", |vm, a| {
        test(vm, a, "isfinite", f64::is_finite)
    }),
    ("math", "isinf", |vm, a| {
        test(vm, a, "isinf", f64::is_infinite)
    }),
    ("math", "isnan", |vm, a| test(vm, a, "isnan", f64::is_nan)),
    ("math", "isclose", isclose),
    ("math", "gcd", gcd),
    ("math", "factorial", factorial),
    ("math", "isqrt", isqrt),
    ("math", "fsum", fsum),
    ("math", "prod", prod),
    ("math", "comb", comb),
    ("math", "perm", perm),
    ("math", "modf", modf),
    ("sys", "exit", sys_exit),
];

/// The name of module function `i`.
pub fn name(i: u16) -> &'static str {
    TABLE.get(i as usize).map_or("?", |(_, n, _)| n)
}

/// Calls module function `i`.
pub fn call(vm: &mut Vm, i: u16, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    let Some((_, n, rule)) = TABLE.get(i as usize) else {
        return vm.broken("a module function index");
    };
    if !kwargs.is_empty() {
        return gap(format!("keyword arguments to {n}()"));
    }
    rule(vm, args)
}

impl Vm {
    /// `import name`: the module object, owned (made once, then shared).
    pub(super) fn import(&mut self, name: &str) -> Res<Value> {
        if let Some(m) = self.modules.get(name) {
            return Ok(self.heap.own(*m));
        }
        if let Some(code) = self.program_modules.get(name).cloned() {
            return self.import_program_module(name, &code);
        }
        if !matches!(name, "math" | "sys") {
            let top = name.split('.').next().unwrap_or(name);
            if STDLIB.contains(&top) || top.starts_with('_') {
                return gap(format!("import of module `{name}`"));
            }
            let e = self.str_value(&format!("No module named '{name}'"));
            let x = self.new_exception(self.types.exc(ExcKind::ModuleNotFoundError), &[e]);
            self.heap.decref(e);
            self.set_context(x);
            return Err(super::Fault::Raise(x));
        }
        let m = self.heap.alloc(Obj::Module(name.into(), Dict::new(), None));
        let set = |vm: &mut Vm, k: &str, v: Value| -> Res<()> {
            let key = vm.str_value(k);
            let r = vm.module_set(m, key, v);
            vm.heap.decref(key);
            vm.heap.decref(v);
            r
        };
        let n = self.str_value(name);
        set(self, "__name__", n)?;
        for (i, (module, fname, _)) in TABLE.iter().enumerate() {
            if *module == name {
                let f = self.heap.alloc(Obj::ModuleFn(i as u16));
                set(self, fname, f)?;
            }
        }
        match name {
            "math" => {
                set(self, "pi", Value::Float(std::f64::consts::PI))?;
                set(self, "e", Value::Float(std::f64::consts::E))?;
                set(self, "tau", Value::Float(std::f64::consts::TAU))?;
                set(self, "inf", Value::Float(f64::INFINITY))?;
                set(self, "nan", Value::Float(f64::NAN))?;
            }
            _ => {
                let prog = self.program.clone();
                let p = self.str_value(&prog);
                let argv = self.heap.alloc(Obj::List(vec![p]));
                set(self, "argv", argv)?;
                set(self, "maxsize", Value::Int(i64::MAX))?;
                let v = self.str_value("3.9.18");
                set(self, "version", v)?;
                let bo = self.str_value("little");
                set(self, "byteorder", bo)?;
            }
        }
        self.heap.incref(m);
        self.modules.insert(name.to_string(), m);
        Ok(m)
    }

    /// Runs a module of the program (once) in a namespace of its own.
    fn import_program_module(
        &mut self,
        name: &str,
        code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
    ) -> Res<Value> {
        let g = self.ns.len() as u32;
        self.ns.push(super::Namespace::default());
        let n = self.str_value(name);
        let slot = self.ns[g as usize].slot("__name__");
        self.ns[g as usize].slots[slot as usize] = n;
        let m = self
            .heap
            .alloc(Obj::Module(name.into(), Dict::new(), Some(g)));
        // Registered first: an import cycle sees the module being run.
        self.heap.incref(m);
        self.modules.insert(name.to_string(), m);
        let vc = self.prepared_code(code, g, false)?;
        let base = self.top;
        self.open_window(base, vc.nregs);
        let cells = self.make_cells(&vc, base, Vec::new());
        self.frames.push(super::Frame {
            code: vc,
            pc: 0,
            base,
            ret: super::RET_NATIVE,
            cells,
            locals: Value::Empty,
            gen: None,
            sp: 0,
            blocks: Vec::new(),
            init: Value::Empty,
        });
        match self.run_pushed() {
            Ok(r) => {
                self.heap.decref(r);
                Ok(m)
            }
            Err(e) => {
                if let Some(old) = self.modules.remove(name) {
                    self.heap.decref(old);
                }
                self.heap.decref(m);
                Err(e)
            }
        }
    }

    /// A global of a program module, borrowed.
    pub(super) fn module_global(&self, g: u32, name: &str) -> Option<Value> {
        let ns = &self.ns[g as usize];
        ns.index
            .get(name)
            .map(|i| ns.slots[*i as usize])
            .filter(|v| *v != Value::Empty)
    }

    /// Sets an attribute of a module.
    pub(super) fn module_set(&mut self, m: Value, key: Value, v: Value) -> Res<()> {
        if let Some(Obj::Module(_, _, Some(g))) = self.heap.obj(m) {
            let g = *g as usize;
            let n = self.heap.as_str(key).unwrap_or("").to_string();
            let slot = self.ns[g].slot(&n);
            self.heap.incref(v);
            let old = std::mem::replace(&mut self.ns[g].slots[slot as usize], v);
            self.heap.decref(old);
            return Ok(());
        }
        let h = self.hash(key)?;
        let pos = match self.heap.obj(m) {
            Some(Obj::Module(_, d, _)) => {
                let heap = &self.heap;
                d.find(h, |k| heap.as_str(k) == heap.as_str(key))
            }
            _ => return self.broken("a module"),
        };
        self.heap.incref(v);
        if pos.is_none() {
            self.heap.incref(key);
        }
        let old = match m.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Module(_, d, _)) => match pos {
                Some(p) => std::mem::replace(d.value_mut(p), v),
                None => {
                    d.push(h, key, v);
                    Value::Empty
                }
            },
            _ => Value::Empty,
        };
        self.heap.decref(old);
        Ok(())
    }
}

fn float_arg(vm: &mut Vm, v: Value) -> Res<f64> {
    if let Some(f) = vm.as_f64(v) {
        return Ok(f);
    }
    if vm.as_big(v).is_some() {
        return Err(vm.error(
            ExcKind::OverflowError,
            "int too large to convert to float".into(),
        ));
    }
    let t = vm.type_name(v);
    Err(vm.error(ExcKind::TypeError, format!("must be real number, not {t}")))
}

fn count(vm: &mut Vm, args: &[Value], n: usize, fname: &str) -> Res<()> {
    if args.len() == n {
        return Ok(());
    }
    let msg = if n == 1 {
        format!(
            "{fname}() takes exactly one argument ({} given)",
            args.len()
        )
    } else {
        format!("{fname} expected {n} arguments, got {}", args.len())
    };
    Err(vm.error(ExcKind::TypeError, msg))
}

fn domain(vm: &mut Vm) -> super::Fault {
    vm.error(ExcKind::ValueError, "math domain error".into())
}

fn finish(vm: &mut Vm, x: f64, r: Option<f64>) -> Res<Value> {
    match r {
        None => Err(domain(vm)),
        Some(y) if y.is_infinite() && x.is_finite() => {
            Err(vm.error(ExcKind::OverflowError, "math range error".into()))
        }
        Some(y) => Ok(Value::Float(y)),
    }
}

fn unary(vm: &mut Vm, args: &[Value], fname: &str, f: fn(f64) -> Option<f64>) -> Res<Value> {
    count(vm, args, 1, fname)?;
    let x = float_arg(vm, args[0])?;
    let r = f(x);
    if fname == "fabs" || fname == "sinh" || fname == "cosh" {
        return Ok(Value::Float(r.unwrap_or(f64::NAN)));
    }
    finish(vm, x, r)
}

fn binary(vm: &mut Vm, args: &[Value], fname: &str, f: fn(f64, f64) -> Option<f64>) -> Res<Value> {
    count(vm, args, 2, fname)?;
    let x = float_arg(vm, args[0])?;
    let y = float_arg(vm, args[1])?;
    match f(x, y) {
        None => Err(domain(vm)),
        Some(r) if r.is_infinite() && x.is_finite() && y.is_finite() => {
            Err(vm.error(ExcKind::OverflowError, "math range error".into()))
        }
        Some(r) => Ok(Value::Float(r)),
    }
}

fn pow(x: f64, y: f64) -> Option<f64> {
    if x == 0.0 && y < 0.0 && y.is_finite() {
        return None;
    }
    if x < 0.0 && x.is_finite() && y.is_finite() && y.fract() != 0.0 {
        return None;
    }
    Some(x.powf(y))
}

fn log(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    if args.is_empty() || args.len() > 2 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("log expected 1 or 2 arguments, got {}", args.len()),
        ));
    }
    let ln = |vm: &mut Vm, v: Value| -> Res<f64> {
        if let Some(b) = vm.as_big(v) {
            if !b.is_positive() {
                return Err(domain(vm));
            }
            if let Some(f) = b.to_f64().filter(|f| f.is_finite()) {
                return Ok(f.ln());
            }
            // Too large for a float: scale by a power of two.
            let bits = b.bits();
            let shifted = (&b >> (bits - 64) as usize).to_f64().unwrap_or(1.0);
            return Ok(shifted.ln() + (bits - 64) as f64 * std::f64::consts::LN_2);
        }
        let x = float_arg(vm, v)?;
        if x <= 0.0 {
            return Err(domain(vm));
        }
        Ok(x.ln())
    };
    let a = ln(vm, args[0])?;
    match args.get(1) {
        None => Ok(Value::Float(a)),
        Some(b) => {
            let b = ln(vm, *b)?;
            if b == 0.0 {
                return Err(vm.error(ExcKind::ZeroDivisionError, "float division by zero".into()));
            }
            Ok(Value::Float(a / b))
        }
    }
}

fn hypot(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    let mut acc = 0.0f64;
    for a in args {
        let x = float_arg(vm, *a)?;
        acc = acc.hypot(x);
    }
    Ok(Value::Float(acc))
}

fn rounding(vm: &mut Vm, args: &[Value], fname: &str, f: fn(f64) -> f64) -> Res<Value> {
    count(vm, args, 1, fname)?;
    let v = args[0];
    if let Some(b) = vm.as_big(v) {
        return Ok(vm.big(b));
    }
    let dunder = match fname {
        "floor" => "__floor__",
        "ceil" => "__ceil__",
        _ => "__trunc__",
    };
    if let Some(m) = vm.special(v, dunder) {
        return vm.call_value(m, &[v], &[]);
    }
    let x = float_arg(vm, v)?;
    if x.is_nan() {
        return Err(vm.error(
            ExcKind::ValueError,
            "cannot convert float NaN to integer".into(),
        ));
    }
    if x.is_infinite() {
        return Err(vm.error(
            ExcKind::OverflowError,
            "cannot convert float infinity to integer".into(),
        ));
    }
    let r = f(x);
    if r.abs() < 9.0e18 {
        return Ok(Value::Int(r as i64));
    }
    match pyreg_spec::pyformat::f64_to_int(r) {
        Ok(b) => Ok(vm.big(b)),
        Err(_) => gap("rounding this float"),
    }
}

fn test(vm: &mut Vm, args: &[Value], fname: &str, f: fn(f64) -> bool) -> Res<Value> {
    count(vm, args, 1, fname)?;
    let x = float_arg(vm, args[0])?;
    Ok(Value::Bool(f(x)))
}

fn isclose(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    count(vm, args, 2, "isclose")?;
    let a = float_arg(vm, args[0])?;
    let b = float_arg(vm, args[1])?;
    if a == b {
        return Ok(Value::Bool(true));
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(Value::Bool(false));
    }
    let diff = (b - a).abs();
    let tol = 1e-9;
    Ok(Value::Bool(
        diff <= (tol * b).abs() || diff <= (tol * a).abs(),
    ))
}

fn int_arg(vm: &mut Vm, v: Value) -> Res<BigInt> {
    match vm.as_big(v) {
        Some(b) => Ok(b),
        None => {
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object cannot be interpreted as an integer"),
            ))
        }
    }
}

fn gcd(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    let mut g = BigInt::zero();
    for a in args {
        let x = int_arg(vm, *a)?;
        g = g.gcd(&x);
    }
    Ok(vm.big(g))
}

fn factorial(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    count(vm, args, 1, "factorial")?;
    if let Value::Float(f) = args[0] {
        if f.fract() != 0.0 {
            return Err(vm.error(
                ExcKind::ValueError,
                "factorial() only accepts integral values".into(),
            ));
        }
        return gap("factorial() of a float");
    }
    let n = int_arg(vm, args[0])?;
    if n.is_negative() {
        return Err(vm.error(
            ExcKind::ValueError,
            "factorial() not defined for negative values".into(),
        ));
    }
    let Some(n) = n.to_u64().filter(|n| *n <= 100_000) else {
        return Err(vm.memory_error());
    };
    let mut r = BigInt::one();
    for k in 2..=n {
        r *= k;
    }
    Ok(vm.big(r))
}

fn isqrt(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    count(vm, args, 1, "isqrt")?;
    let n = int_arg(vm, args[0])?;
    if n.is_negative() {
        return Err(vm.error(
            ExcKind::ValueError,
            "isqrt() argument must be nonnegative".into(),
        ));
    }
    Ok(vm.big(n.sqrt()))
}

fn fsum(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    count(vm, args, 1, "fsum")?;
    let items = vm.collect(args[0])?;
    // Shewchuk's exact partial sums, as CPython's msum.
    let mut partials: Vec<f64> = Vec::new();
    for v in &items {
        let mut x = match float_arg(vm, *v) {
            Ok(x) => x,
            Err(e) => {
                vm.heap.decref_all(items);
                return Err(e);
            }
        };
        let mut i = 0;
        for k in 0..partials.len() {
            let mut y = partials[k];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        partials.push(x);
    }
    vm.heap.decref_all(items);
    let mut hi = 0.0;
    while let Some(x) = partials.pop() {
        let prev = hi;
        hi = prev + x;
        let lo = x - (hi - prev);
        if lo != 0.0 {
            if let Some(&next) = partials.last() {
                if (lo < 0.0 && next < 0.0) || (lo > 0.0 && next > 0.0) {
                    let y = lo * 2.0;
                    let x2 = hi + y;
                    if y == x2 - hi {
                        hi = x2;
                    }
                }
            }
            break;
        }
    }
    Ok(Value::Float(hi))
}

fn prod(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    count(vm, args, 1, "prod")?;
    let items = vm.collect(args[0])?;
    let mut acc = Value::Int(1);
    for v in &items {
        match vm.binary(crate::code::Bin::Mul, false, acc, *v) {
            Ok(r) => {
                vm.heap.decref(acc);
                acc = r;
            }
            Err(e) => {
                vm.heap.decref(acc);
                vm.heap.decref_all(items);
                return Err(e);
            }
        }
    }
    vm.heap.decref_all(items);
    Ok(acc)
}

fn comb_perm(vm: &mut Vm, args: &[Value], fname: &str, comb: bool) -> Res<Value> {
    count(vm, args, 2, fname)?;
    let n = int_arg(vm, args[0])?;
    let k = int_arg(vm, args[1])?;
    if n.is_negative() {
        return Err(vm.error(
            ExcKind::ValueError,
            "n must be a non-negative integer".into(),
        ));
    }
    if k.is_negative() {
        return Err(vm.error(
            ExcKind::ValueError,
            "k must be a non-negative integer".into(),
        ));
    }
    if k > n {
        return Ok(Value::Int(0));
    }
    let Some(k) = k.to_u64().filter(|k| *k <= 100_000) else {
        return Err(vm.memory_error());
    };
    let mut r = BigInt::one();
    for i in 0..k {
        r *= &n - i;
    }
    if comb {
        let mut f = BigInt::one();
        for i in 2..=k {
            f *= i;
        }
        r /= f;
    }
    Ok(vm.big(r))
}

fn comb(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    comb_perm(vm, args, "comb", true)
}

fn perm(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    comb_perm(vm, args, "perm", false)
}

fn modf(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    count(vm, args, 1, "modf")?;
    let x = float_arg(vm, args[0])?;
    let (f, i) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else {
        (x.fract(), x.trunc())
    };
    Ok(vm
        .heap
        .alloc(Obj::Tuple(vec![Value::Float(f), Value::Float(i)].into())))
}

/// The error function, by its series near 0 and continued fraction
/// beyond, as CPython's `m_erf`.
fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let a = x.abs();
    let r = if a < 1.5 {
        let mut acc = 0.0;
        let x2 = x * x;
        let mut fk = 25.5;
        for _ in 0..25 {
            acc = 2.0 + x2 * acc / fk;
            fk -= 1.0;
        }
        acc * a * (-x2).exp() / std::f64::consts::PI.sqrt()
    } else if a >= 30.0 {
        1.0
    } else {
        1.0 - erfc_contfrac(a)
    };
    if x < 0.0 {
        -r
    } else {
        r
    }
}

fn erfc_contfrac(x: f64) -> f64 {
    let x2 = x * x;
    let mut a = 0.0f64;
    let mut da = 0.5f64;
    let mut p = 1.0f64;
    let mut p_last = 0.0f64;
    let mut q = da + x2;
    let mut q_last = 1.0f64;
    for _ in 0..50 {
        a += da;
        da += 2.0;
        let b = da + x2;
        let temp = p;
        p = b * p - a * p_last;
        p_last = temp;
        let temp = q;
        q = b * q - a * q_last;
        q_last = temp;
    }
    p / q * x * (-x2).exp() / std::f64::consts::PI.sqrt()
}

fn sys_exit(vm: &mut Vm, args: &[Value]) -> Res<Value> {
    if args.len() > 1 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("exit expected at most 1 argument, got {}", args.len()),
        ));
    }
    let e = vm.new_exception(vm.types.exc(ExcKind::SystemExit), args);
    Err(super::Fault::Raise(e))
}
