//! The stack ISA: one row per CPython 3.9 opcode.
//!
//! [`OPCODES`] is the single source of truth for decoding, `dis`, the
//! verifier and (later) the generator and the translator. Every row is
//! checked against CPython 3.9's `opcode` module and `dis.stack_effect` by
//! `spec/tests/opcode_table.rs`, whose golden data `scripts/gen_opcode_golden.py`
//! regenerates.

use std::fmt;

/// Opcodes numbered at or above this take an argument (`opcode.HAVE_ARGUMENT`).
pub const HAVE_ARGUMENT: u8 = 90;

/// The comparison names of `COMPARE_OP`, indexed by its argument (`opcode.cmp_op`).
pub const CMP_OP: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

/// What an opcode's argument means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// No argument (the opcode is below [`HAVE_ARGUMENT`]).
    None,
    /// An index into `co_consts`.
    Const,
    /// An index into `co_names`.
    Name,
    /// An index into `co_varnames` (a fast local).
    Local,
    /// An index into the cell array: `co_cellvars` then `co_freevars`.
    Cell,
    /// An index into [`CMP_OP`].
    Compare,
    /// A jump target, as a byte offset relative to the next instruction.
    JumpRelative,
    /// A jump target, as an absolute byte offset.
    JumpAbsolute,
    /// A count of stack items (or of arguments).
    Count,
    /// A depth into the stack, counted from the top after popping the operand
    /// (`LIST_APPEND`, `DICT_MERGE`, ...): at least 1.
    StackDepth,
    /// A bit set whose meaning depends on the opcode.
    Flags,
    /// The high bits of the next instruction's argument.
    Extended,
}

/// How control leaves an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Falls through to the next instruction.
    Next,
    /// Jumps unconditionally to its target.
    Jump,
    /// Either falls through or jumps to its target.
    Branch,
    /// Falls through, and pushes a block whose handler is its target.
    SetupBlock,
    /// Leaves the frame: returns, raises or re-raises.
    Exit,
}

/// The stack effect of an opcode, as `dis.stack_effect` defines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The same on every path and for every argument.
    Fixed(i32),
    /// Differs between fall-through and jump (or handler entry).
    Branch {
        /// Effect when falling through.
        fallthrough: i32,
        /// Effect when jumping (for a block, when entering its handler).
        jump: i32,
    },
    /// `1 - arg` (`BUILD_TUPLE`, `BUILD_LIST`, `BUILD_SET`, `BUILD_STRING`).
    OneMinusArg,
    /// `1 - 2 * arg` (`BUILD_MAP`).
    OneMinusTwiceArg,
    /// `-arg`, less `extra` (`CALL_FUNCTION`, `RAISE_VARARGS`, ...).
    MinusArg {
        /// Items popped beyond the argument count.
        extra: i32,
    },
    /// `arg - 1` (`UNPACK_SEQUENCE`).
    ArgMinusOne,
    /// `(arg & 0xFF) + (arg >> 8)` (`UNPACK_EX`).
    UnpackEx,
    /// `-1` less one per set flag bit among the low four (`MAKE_FUNCTION`).
    MakeFunction,
    /// `-1`, or `-2` with the keyword-mapping flag (`CALL_FUNCTION_EX`).
    CallFunctionEx,
    /// `-2` for a 3-item slice, else `-1` (`BUILD_SLICE`).
    BuildSlice,
    /// `-1` with a format spec (flag `0x4`), else `0` (`FORMAT_VALUE`).
    FormatValue,
}

/// One row of the stack ISA table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpInfo {
    /// The opcode.
    pub opcode: Opcode,
    /// CPython's name, as `dis` prints it.
    pub name: &'static str,
    /// What the argument means.
    pub arg: ArgKind,
    /// The stack effect.
    pub effect: Effect,
    /// How control leaves the instruction.
    pub flow: Flow,
    /// Its rule in spec-stack, in words: operands (top of stack last),
    /// effect, exceptions. The rustdoc of [`Opcode`] lists every rule.
    pub rule: &'static str,
}

impl Effect {
    /// The stack effect for `arg` on the jump (`true`) or fall-through path.
    pub fn of(self, arg: u32, jump: bool) -> i32 {
        let a = arg as i64;
        let v: i64 = match self {
            Effect::Fixed(e) => i64::from(e),
            Effect::Branch {
                fallthrough,
                jump: j,
            } => i64::from(if jump { j } else { fallthrough }),
            Effect::OneMinusArg => 1 - a,
            Effect::OneMinusTwiceArg => 1 - 2 * a,
            Effect::MinusArg { extra } => -a - i64::from(extra),
            Effect::ArgMinusOne => a - 1,
            Effect::UnpackEx => (a & 0xFF) + (a >> 8),
            Effect::MakeFunction => -1 - i64::from((arg & 0x0F).count_ones()),
            Effect::CallFunctionEx => -1 - i64::from(arg & 1),
            Effect::BuildSlice => {
                if arg == 3 {
                    -2
                } else {
                    -1
                }
            }
            Effect::FormatValue => {
                if arg & 0x4 != 0 {
                    -1
                } else {
                    0
                }
            }
        };
        v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }
}

macro_rules! opcodes {
    ($($num:literal $variant:ident $name:literal $arg:ident $flow:ident $effect:expr, $rule:literal;)*) => {
        /// A CPython 3.9 opcode, numbered as in CPython's `Include/opcode.h`.
        ///
        /// Each variant's documentation is its rule in the executable
        /// semantics (spec-stack): this page is the index of every opcode
        /// and what it does. Stack effects are written `(inputs → outputs)`,
        /// top of stack last.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode {
            $(
                #[doc = concat!("`", $name, "` — ", $rule)]
                $variant = $num,
            )*
        }

        /// The stack ISA: every CPython 3.9 opcode, in numeric order.
        pub const OPCODES: &[OpInfo] = &[
            $(OpInfo {
                opcode: Opcode::$variant,
                name: $name,
                arg: ArgKind::$arg,
                effect: $effect,
                flow: Flow::$flow,
                rule: $rule,
            },)*
        ];

        impl Opcode {
            /// The opcode with this number, if CPython 3.9 defines one.
            pub fn from_u8(n: u8) -> Option<Opcode> {
                match n {
                    $($num => Some(Opcode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

use Effect::{Branch as B, Fixed as F};

opcodes! {
    1 PopTop "POP_TOP" None Next F(-1), "POP_TOP (v →): discards TOS.";
    2 RotTwo "ROT_TWO" None Next F(0), "ROT_TWO (a, b → b, a).";
    3 RotThree "ROT_THREE" None Next F(0), "ROT_THREE (a, b, c → c, a, b): TOS moves down two places.";
    4 DupTop "DUP_TOP" None Next F(1), "DUP_TOP (v → v, v).";
    5 DupTopTwo "DUP_TOP_TWO" None Next F(2), "DUP_TOP_TWO (a, b → a, b, a, b).";
    6 RotFour "ROT_FOUR" None Next F(0), "ROT_FOUR (a, b, c, d → d, a, b, c).";
    9 Nop "NOP" None Next F(0), "NOP: does nothing (the peephole optimizer leaves it where code was removed).";
    10 UnaryPositive "UNARY_POSITIVE" None Next F(0), "UNARY_POSITIVE (v → +v): numbers unchanged, else `v.__pos__()`; TypeError \"bad operand type for unary +\".";
    11 UnaryNegative "UNARY_NEGATIVE" None Next F(0), "UNARY_NEGATIVE (v → -v): negation of numbers, else `v.__neg__()`; TypeError \"bad operand type for unary -\".";
    12 UnaryNot "UNARY_NOT" None Next F(0), "UNARY_NOT (v → not v): truth value, negated.";
    15 UnaryInvert "UNARY_INVERT" None Next F(0), "UNARY_INVERT (v → ~v): bitwise inversion of ints, else `v.__invert__()`; TypeError \"bad operand type for unary ~\".";
    16 BinaryMatrixMultiply "BINARY_MATRIX_MULTIPLY" None Next F(-1), "BINARY_MATRIX_MULTIPLY (a, b → a @ b): the built-in rule for numbers and sequences first, then `a.__matmul__(b)`, then `b.__rmatmul__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for @\" when every method returns NotImplemented.";
    17 InplaceMatrixMultiply "INPLACE_MATRIX_MULTIPLY" None Next F(-1), "INPLACE_MATRIX_MULTIPLY (a, b → a @= b): `a.__imatmul__(b)` first (a list extends or repeats in place), then the rule of BINARY_MATRIX_MULTIPLY.";
    19 BinaryPower "BINARY_POWER" None Next F(-1), "BINARY_POWER (a, b → a ** b): the built-in rule for numbers and sequences first, then `a.__pow__(b)`, then `b.__rpow__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for **\" when every method returns NotImplemented.";
    20 BinaryMultiply "BINARY_MULTIPLY" None Next F(-1), "BINARY_MULTIPLY (a, b → a * b): the built-in rule for numbers and sequences first, then `a.__mul__(b)`, then `b.__rmul__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for *\" when every method returns NotImplemented.";
    22 BinaryModulo "BINARY_MODULO" None Next F(-1), "BINARY_MODULO (a, b → a % b): the built-in rule for numbers and sequences first, then `a.__mod__(b)`, then `b.__rmod__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for %\" when every method returns NotImplemented.";
    23 BinaryAdd "BINARY_ADD" None Next F(-1), "BINARY_ADD (a, b → a + b): the built-in rule for numbers and sequences first, then `a.__add__(b)`, then `b.__radd__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"can only concatenate str (not \\\"int\\\") to str\" (likewise list, tuple) when a is a str, list or tuple, else \"unsupported operand type(s) for +\", when every method returns NotImplemented.";
    24 BinarySubtract "BINARY_SUBTRACT" None Next F(-1), "BINARY_SUBTRACT (a, b → a - b): the built-in rule for numbers and sequences first, then `a.__sub__(b)`, then `b.__rsub__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for -\" when every method returns NotImplemented.";
    25 BinarySubscr "BINARY_SUBSCR" None Next F(-1), "BINARY_SUBSCR (container, key → `container[key]`).";
    26 BinaryFloorDivide "BINARY_FLOOR_DIVIDE" None Next F(-1), "BINARY_FLOOR_DIVIDE (a, b → a // b): the built-in rule for numbers and sequences first, then `a.__floordiv__(b)`, then `b.__rfloordiv__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for //\" when every method returns NotImplemented.";
    27 BinaryTrueDivide "BINARY_TRUE_DIVIDE" None Next F(-1), "BINARY_TRUE_DIVIDE (a, b → a / b): the built-in rule for numbers and sequences first, then `a.__truediv__(b)`, then `b.__rtruediv__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for /\" when every method returns NotImplemented.";
    28 InplaceFloorDivide "INPLACE_FLOOR_DIVIDE" None Next F(-1), "INPLACE_FLOOR_DIVIDE (a, b → a //= b): `a.__ifloordiv__(b)` first (a list extends or repeats in place), then the rule of BINARY_FLOOR_DIVIDE.";
    29 InplaceTrueDivide "INPLACE_TRUE_DIVIDE" None Next F(-1), "INPLACE_TRUE_DIVIDE (a, b → a /= b): `a.__itruediv__(b)` first (a list extends or repeats in place), then the rule of BINARY_TRUE_DIVIDE.";
    48 Reraise "RERAISE" None Exit F(-3), "RERAISE (tb, val, exc →): raises exc again, keeping its traceback.";
    49 WithExceptStart "WITH_EXCEPT_START" None Next F(1), "WITH_EXCEPT_START (exit, ..., tb, val, exc → ..., exit(exc, val, tb)).";
    50 GetAiter "GET_AITER" None Next F(0), "GET_AITER: async support is not implemented yet; executing it ends the run as stuck with \"unsupported opcode GET_AITER in `<code>` at offset N\" (the verifier accepts it).";
    51 GetAnext "GET_ANEXT" None Next F(1), "GET_ANEXT: async support is not implemented yet; executing it ends the run as stuck with \"unsupported opcode GET_ANEXT in `<code>` at offset N\" (the verifier accepts it).";
    52 BeforeAsyncWith "BEFORE_ASYNC_WITH" None Next F(1), "BEFORE_ASYNC_WITH: async support is not implemented yet; executing it ends the run as stuck with \"unsupported opcode BEFORE_ASYNC_WITH in `<code>` at offset N\" (the verifier accepts it).";
    54 EndAsyncFor "END_ASYNC_FOR" None Next F(-7), "END_ASYNC_FOR: async support is not implemented yet; executing it ends the run as stuck with \"unsupported opcode END_ASYNC_FOR in `<code>` at offset N\" (the verifier accepts it).";
    55 InplaceAdd "INPLACE_ADD" None Next F(-1), "INPLACE_ADD (a, b → a += b): `a.__iadd__(b)` first (a list extends or repeats in place), then the rule of BINARY_ADD.";
    56 InplaceSubtract "INPLACE_SUBTRACT" None Next F(-1), "INPLACE_SUBTRACT (a, b → a -= b): `a.__isub__(b)` first (a list extends or repeats in place), then the rule of BINARY_SUBTRACT.";
    57 InplaceMultiply "INPLACE_MULTIPLY" None Next F(-1), "INPLACE_MULTIPLY (a, b → a *= b): `a.__imul__(b)` first (a list extends or repeats in place), then the rule of BINARY_MULTIPLY.";
    59 InplaceModulo "INPLACE_MODULO" None Next F(-1), "INPLACE_MODULO (a, b → a %= b): `a.__imod__(b)` first (a list extends or repeats in place), then the rule of BINARY_MODULO.";
    60 StoreSubscr "STORE_SUBSCR" None Next F(-3), "STORE_SUBSCR (value, container, key →): `container[key]` = value.";
    61 DeleteSubscr "DELETE_SUBSCR" None Next F(-2), "DELETE_SUBSCR (container, key →): del `container[key]`.";
    62 BinaryLshift "BINARY_LSHIFT" None Next F(-1), "BINARY_LSHIFT (a, b → a << b): the built-in rule for numbers and sequences first, then `a.__lshift__(b)`, then `b.__rlshift__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for <<\" when every method returns NotImplemented.";
    63 BinaryRshift "BINARY_RSHIFT" None Next F(-1), "BINARY_RSHIFT (a, b → a >> b): the built-in rule for numbers and sequences first, then `a.__rshift__(b)`, then `b.__rrshift__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for >>\" when every method returns NotImplemented.";
    64 BinaryAnd "BINARY_AND" None Next F(-1), "BINARY_AND (a, b → a & b): the built-in rule for numbers and sequences first, then `a.__and__(b)`, then `b.__rand__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for &\" when every method returns NotImplemented.";
    65 BinaryXor "BINARY_XOR" None Next F(-1), "BINARY_XOR (a, b → a ^ b): the built-in rule for numbers and sequences first, then `a.__xor__(b)`, then `b.__rxor__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for ^\" when every method returns NotImplemented.";
    66 BinaryOr "BINARY_OR" None Next F(-1), "BINARY_OR (a, b → a | b): the built-in rule for numbers and sequences first, then `a.__or__(b)`, then `b.__ror__(a)` (the reflected method first when type(b) is a proper subclass of type(a)); TypeError \"unsupported operand type(s) for |\" when every method returns NotImplemented.";
    67 InplacePower "INPLACE_POWER" None Next F(-1), "INPLACE_POWER (a, b → a **= b): `a.__ipow__(b)` first (a list extends or repeats in place), then the rule of BINARY_POWER.";
    68 GetIter "GET_ITER" None Next F(0), "GET_ITER (iterable → iter(iterable)).";
    69 GetYieldFromIter "GET_YIELD_FROM_ITER" None Next F(0), "GET_YIELD_FROM_ITER (v → v if a generator, else iter(v)).";
    70 PrintExpr "PRINT_EXPR" None Next F(-1), "PRINT_EXPR (v →): the interactive echo; writes repr(v) unless None.";
    71 LoadBuildClass "LOAD_BUILD_CLASS" None Next F(1), "LOAD_BUILD_CLASS (→ builtins.__build_class__).";
    72 YieldFrom "YIELD_FROM" None Next F(-1), "YIELD_FROM (receiver, v → receiver | result): sends v into the sub-iterator; a yielded value is yielded out of this generator (and this instruction runs again on resumption); a return pops the receiver and pushes the result.";
    73 GetAwaitable "GET_AWAITABLE" None Next F(0), "GET_AWAITABLE: async support is not implemented yet; executing it ends the run as stuck with \"unsupported opcode GET_AWAITABLE in `<code>` at offset N\" (the verifier accepts it).";
    74 LoadAssertionError "LOAD_ASSERTION_ERROR" None Next F(1), "LOAD_ASSERTION_ERROR (→ AssertionError).";
    75 InplaceLshift "INPLACE_LSHIFT" None Next F(-1), "INPLACE_LSHIFT (a, b → a <<= b): `a.__ilshift__(b)` first (a list extends or repeats in place), then the rule of BINARY_LSHIFT.";
    76 InplaceRshift "INPLACE_RSHIFT" None Next F(-1), "INPLACE_RSHIFT (a, b → a >>= b): `a.__irshift__(b)` first (a list extends or repeats in place), then the rule of BINARY_RSHIFT.";
    77 InplaceAnd "INPLACE_AND" None Next F(-1), "INPLACE_AND (a, b → a &= b): `a.__iand__(b)` first (a list extends or repeats in place), then the rule of BINARY_AND.";
    78 InplaceXor "INPLACE_XOR" None Next F(-1), "INPLACE_XOR (a, b → a ^= b): `a.__ixor__(b)` first (a list extends or repeats in place), then the rule of BINARY_XOR.";
    79 InplaceOr "INPLACE_OR" None Next F(-1), "INPLACE_OR (a, b → a |= b): `a.__ior__(b)` first (a list extends or repeats in place), then the rule of BINARY_OR.";
    82 ListToTuple "LIST_TO_TUPLE" None Next F(0), "LIST_TO_TUPLE (list → tuple).";
    83 ReturnValue "RETURN_VALUE" None Exit F(-1), "RETURN_VALUE (v →): ends the frame with result v.";
    84 ImportStar "IMPORT_STAR" None Next F(-1), "IMPORT_STAR (module →): copies its public names into locals.";
    85 SetupAnnotations "SETUP_ANNOTATIONS" None Next F(0), "SETUP_ANNOTATIONS: creates `__annotations__` in locals if absent.";
    86 YieldValue "YIELD_VALUE" None Next F(0), "YIELD_VALUE (v → sent): suspends the generator, yielding v; the value sent on resumption is pushed.";
    87 PopBlock "POP_BLOCK" None Next F(0), "POP_BLOCK: pops the innermost finally block.";
    89 PopExcept "POP_EXCEPT" None Next F(-3), "POP_EXCEPT (tb, val, type →): closes an exception handler, restoring the exception that was being handled before it.";
    90 StoreName "STORE_NAME" Name Next F(-1), "STORE_NAME(i) (v →): `locals[name]` = v.";
    91 DeleteName "DELETE_NAME" Name Next F(0), "DELETE_NAME(i): del `locals[name]`; NameError when absent.";
    92 UnpackSequence "UNPACK_SEQUENCE" Count Next Effect::ArgMinusOne, "UNPACK_SEQUENCE(n) (seq → items reversed): exactly n items.";
    93 ForIter "FOR_ITER" JumpRelative Branch B { fallthrough: 1, jump: -1 }, "FOR_ITER(delta) (it → it, next(it)); when exhausted, pops the iterator and jumps forward by delta.";
    94 UnpackEx "UNPACK_EX" Count Next Effect::UnpackEx, "UNPACK_EX(counts) (seq → items): `a, *b, c = seq`.";
    95 StoreAttr "STORE_ATTR" Name Next F(-2), "STORE_ATTR(i) (value, obj →): obj.name = value.";
    96 DeleteAttr "DELETE_ATTR" Name Next F(-1), "DELETE_ATTR(i) (obj →): del obj.name.";
    97 StoreGlobal "STORE_GLOBAL" Name Next F(-1), "STORE_GLOBAL(i) (v →): `globals[name]` = v.";
    98 DeleteGlobal "DELETE_GLOBAL" Name Next F(0), "DELETE_GLOBAL(i): del `globals[name]`; NameError when absent.";
    100 LoadConst "LOAD_CONST" Const Next F(1), "LOAD_CONST(i) (→ `co_consts[i]`).";
    101 LoadName "LOAD_NAME" Name Next F(1), "LOAD_NAME(i) (→ value): locals, then globals, then builtins; NameError when absent.";
    102 BuildTuple "BUILD_TUPLE" Count Next Effect::OneMinusArg, "BUILD_TUPLE(n) / BUILD_LIST(n) / BUILD_SET(n) (items... → container).";
    103 BuildList "BUILD_LIST" Count Next Effect::OneMinusArg, "BUILD_TUPLE(n) / BUILD_LIST(n) / BUILD_SET(n) (items... → container).";
    104 BuildSet "BUILD_SET" Count Next Effect::OneMinusArg, "BUILD_TUPLE(n) / BUILD_LIST(n) / BUILD_SET(n) (items... → container).";
    105 BuildMap "BUILD_MAP" Count Next Effect::OneMinusTwiceArg, "BUILD_MAP(n) (k1, v1, ..., kn, vn → dict).";
    106 LoadAttr "LOAD_ATTR" Name Next F(0), "LOAD_ATTR(i) (obj → obj.name).";
    107 CompareOp "COMPARE_OP" Compare Next F(-1), "COMPARE_OP(op) (a, b → a op b): rich comparison with reflection.";
    108 ImportName "IMPORT_NAME" Name Next F(-1), "IMPORT_NAME(i) (level, fromlist → module).";
    109 ImportFrom "IMPORT_FROM" Name Next F(1), "IMPORT_FROM(i) (module → module, module.name).";
    110 JumpForward "JUMP_FORWARD" JumpRelative Jump F(0), "JUMP_FORWARD(delta): continues delta bytes after the next instruction.";
    111 JumpIfFalseOrPop "JUMP_IF_FALSE_OR_POP" JumpAbsolute Branch B { fallthrough: -1, jump: 0 }, "JUMP_IF_FALSE_OR_POP / JUMP_IF_TRUE_OR_POP (v → v | ): jumps keeping v when its truth matches, otherwise pops it.";
    112 JumpIfTrueOrPop "JUMP_IF_TRUE_OR_POP" JumpAbsolute Branch B { fallthrough: -1, jump: 0 }, "JUMP_IF_FALSE_OR_POP / JUMP_IF_TRUE_OR_POP (v → v | ): jumps keeping v when its truth matches, otherwise pops it.";
    113 JumpAbsolute "JUMP_ABSOLUTE" JumpAbsolute Jump F(0), "JUMP_ABSOLUTE(target): continues at byte offset target, spending one unit of fuel when the jump goes backward.";
    114 PopJumpIfFalse "POP_JUMP_IF_FALSE" JumpAbsolute Branch F(-1), "POP_JUMP_IF_FALSE(target) (v →): jumps to target when v is false (fuel is spent on a backward jump).";
    115 PopJumpIfTrue "POP_JUMP_IF_TRUE" JumpAbsolute Branch F(-1), "POP_JUMP_IF_TRUE(target) (v →): jumps to target when v is true (fuel is spent on a backward jump).";
    116 LoadGlobal "LOAD_GLOBAL" Name Next F(1), "LOAD_GLOBAL(i) (→ value): globals, then builtins; NameError.";
    117 IsOp "IS_OP" Flags Next F(-1), "IS_OP(invert) (a, b → a is b, negated when invert is 1).";
    118 ContainsOp "CONTAINS_OP" Flags Next F(-1), "CONTAINS_OP(invert) (item, container → item in container): `__contains__`, else iteration; TypeError \"argument of type 'T' is not iterable\" when the container has neither.";
    121 JumpIfNotExcMatch "JUMP_IF_NOT_EXC_MATCH" JumpAbsolute Branch F(-2), "JUMP_IF_NOT_EXC_MATCH(target) (exc, match →): jumps unless the exception class matches (a class or a tuple of classes).";
    122 SetupFinally "SETUP_FINALLY" JumpRelative SetupBlock B { fallthrough: 0, jump: 6 }, "SETUP_FINALLY(delta): pushes a block whose handler is at next + delta, recording the stack depth.";
    124 LoadFast "LOAD_FAST" Local Next F(1), "LOAD_FAST(i) (→ local i); UnboundLocalError when unbound.";
    125 StoreFast "STORE_FAST" Local Next F(-1), "STORE_FAST(i) (v →): local i = v.";
    126 DeleteFast "DELETE_FAST" Local Next F(0), "DELETE_FAST(i): unbinds local i; UnboundLocalError when unbound.";
    130 RaiseVarargs "RAISE_VARARGS" Count Exit Effect::MinusArg { extra: 0 }, "RAISE_VARARGS(n): `raise` (re-raise the handled exception), `raise exc`, or `raise exc from cause`.";
    131 CallFunction "CALL_FUNCTION" Count Next Effect::MinusArg { extra: 0 }, "CALL_FUNCTION(n) (f, args... → f(*args)). A Python function's frame is pushed: its body runs in the following steps.";
    132 MakeFunction "MAKE_FUNCTION" Flags Next Effect::MakeFunction, "MAKE_FUNCTION(flags) (defaults?, kwdefaults?, annotations?, closure?, code, qualname → function).";
    133 BuildSlice "BUILD_SLICE" Count Next Effect::BuildSlice, "BUILD_SLICE(n) (start, `stop[, step]` → slice).";
    135 LoadClosure "LOAD_CLOSURE" Cell Next F(1), "LOAD_CLOSURE(i) (→ cell i): the cell itself, for MAKE_FUNCTION.";
    136 LoadDeref "LOAD_DEREF" Cell Next F(1), "LOAD_DEREF(i) (→ contents of cell i): UnboundLocalError for an empty cell variable, NameError for an empty free variable.";
    137 StoreDeref "STORE_DEREF" Cell Next F(-1), "STORE_DEREF(i) (v →): sets the contents of cell i.";
    138 DeleteDeref "DELETE_DEREF" Cell Next F(0), "DELETE_DEREF(i): empties cell i (an error if already empty).";
    141 CallFunctionKw "CALL_FUNCTION_KW" Count Next Effect::MinusArg { extra: 1 }, "CALL_FUNCTION_KW(n) (f, args..., names → f(...)): the last len(names) of the n arguments are keyword arguments.";
    142 CallFunctionEx "CALL_FUNCTION_EX" Flags Next Effect::CallFunctionEx, "CALL_FUNCTION_EX(flags) (f, `args[, kwargs]` → f(*args, **kwargs)).";
    143 SetupWith "SETUP_WITH" JumpRelative SetupBlock B { fallthrough: 1, jump: 6 }, "SETUP_WITH(delta) (mgr → exit, enter_result): looks up `__exit__`, calls `__enter__`, and pushes a finally block.";
    144 ExtendedArg "EXTENDED_ARG" Extended Next F(0), "EXTENDED_ARG(b): never executed: decoding folds its byte into the next instruction's argument (at most three prefixes).";
    145 ListAppend "LIST_APPEND" StackDepth Next F(-1), "LIST_APPEND(i) (..., list, ..., v → ..., list, ...): appends v to the list i slots down (list comprehensions).";
    146 SetAdd "SET_ADD" StackDepth Next F(-1), "SET_ADD(i) (..., set, ..., v → ..., set, ...): adds v to the set i slots down (set comprehensions).";
    147 MapAdd "MAP_ADD" StackDepth Next F(-2), "MAP_ADD(i) (..., dict, ..., k, v → ...): `dict[k]` = v.";
    148 LoadClassderef "LOAD_CLASSDEREF" Cell Next F(1), "LOAD_CLASSDEREF(i) (→ value): a class body's locals first, then the cell.";
    154 SetupAsyncWith "SETUP_ASYNC_WITH" JumpRelative SetupBlock B { fallthrough: 0, jump: 5 }, "SETUP_ASYNC_WITH: async support is not implemented yet; executing it ends the run as stuck with \"unsupported opcode SETUP_ASYNC_WITH in `<code>` at offset N\" (the verifier accepts it).";
    155 FormatValue "FORMAT_VALUE" Flags Next Effect::FormatValue, "FORMAT_VALUE(flags) (`v[, spec]` → formatted): applies the conversion (!s, !r, !a), then format(v, spec).";
    156 BuildConstKeyMap "BUILD_CONST_KEY_MAP" Count Next Effect::MinusArg { extra: 0 }, "BUILD_CONST_KEY_MAP(n) (v1..vn, keys → dict).";
    157 BuildString "BUILD_STRING" Count Next Effect::OneMinusArg, "BUILD_STRING(n) (s1..sn → s1 + ... + sn).";
    160 LoadMethod "LOAD_METHOD" Name Next F(1), "LOAD_METHOD(i) (obj → meth, obj | NULL, attr): a method found on the type (and not shadowed by the instance) is pushed unbound with obj as its first argument; anything else bound, after a NULL.";
    161 CallMethod "CALL_METHOD" Count Next Effect::MinusArg { extra: 1 }, "CALL_METHOD(n) (meth, self, args... | NULL, f, args... → result).";
    162 ListExtend "LIST_EXTEND" StackDepth Next F(-1), "LIST_EXTEND(i) (..., list, ..., iterable → ..., list, ...): extends the list i slots down with the iterable's items (`[*a, *b]`).";
    163 SetUpdate "SET_UPDATE" StackDepth Next F(-1), "SET_UPDATE(i) (..., set, ..., iterable → ..., set, ...): adds the iterable's items to the set i slots down (`{*a, *b}` and folded set displays).";
    164 DictMerge "DICT_MERGE" StackDepth Next F(-1), "DICT_UPDATE(i) / DICT_MERGE(i) (..., dict, ..., mapping → ...): dict.update(mapping); MERGE rejects duplicate keys (`f(**a, **b)`).";
    165 DictUpdate "DICT_UPDATE" StackDepth Next F(-1), "DICT_UPDATE(i) / DICT_MERGE(i) (..., dict, ..., mapping → ...): dict.update(mapping); MERGE rejects duplicate keys (`f(**a, **b)`).";
}

impl Opcode {
    /// This opcode's row of [`OPCODES`].
    pub fn info(self) -> &'static OpInfo {
        // The table is in numeric order, so the row is found by binary search.
        let idx = OPCODES
            .binary_search_by_key(&(self as u8), |r| r.opcode as u8)
            .unwrap_or_else(|_| unreachable!("every Opcode variant has a row"));
        &OPCODES[idx]
    }

    /// CPython's name of the opcode.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether the opcode takes an argument.
    pub fn has_arg(self) -> bool {
        self as u8 >= HAVE_ARGUMENT
    }

    /// Whether the argument is a jump target (relative or absolute).
    pub fn is_jump(self) -> bool {
        matches!(
            self.info().arg,
            ArgKind::JumpRelative | ArgKind::JumpAbsolute
        )
    }

    /// The stack effect of this opcode with `arg`, on the jump or fall-through path.
    pub fn stack_effect(self, arg: u32, jump: bool) -> i32 {
        self.info().effect.of(arg, jump)
    }

    /// Whether the opcode belongs to `async`/`await` support.
    pub fn is_async(self) -> bool {
        matches!(
            self,
            Opcode::GetAwaitable
                | Opcode::GetAiter
                | Opcode::GetAnext
                | Opcode::BeforeAsyncWith
                | Opcode::SetupAsyncWith
                | Opcode::EndAsyncFor
        )
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
