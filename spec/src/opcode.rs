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
    ($($num:literal $variant:ident $name:literal $arg:ident $flow:ident $effect:expr;)*) => {
        /// A CPython 3.9 opcode, numbered as in CPython's `Include/opcode.h`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode {
            $(
                #[doc = concat!("`", $name, "`")]
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
    1 PopTop "POP_TOP" None Next F(-1);
    2 RotTwo "ROT_TWO" None Next F(0);
    3 RotThree "ROT_THREE" None Next F(0);
    4 DupTop "DUP_TOP" None Next F(1);
    5 DupTopTwo "DUP_TOP_TWO" None Next F(2);
    6 RotFour "ROT_FOUR" None Next F(0);
    9 Nop "NOP" None Next F(0);
    10 UnaryPositive "UNARY_POSITIVE" None Next F(0);
    11 UnaryNegative "UNARY_NEGATIVE" None Next F(0);
    12 UnaryNot "UNARY_NOT" None Next F(0);
    15 UnaryInvert "UNARY_INVERT" None Next F(0);
    16 BinaryMatrixMultiply "BINARY_MATRIX_MULTIPLY" None Next F(-1);
    17 InplaceMatrixMultiply "INPLACE_MATRIX_MULTIPLY" None Next F(-1);
    19 BinaryPower "BINARY_POWER" None Next F(-1);
    20 BinaryMultiply "BINARY_MULTIPLY" None Next F(-1);
    22 BinaryModulo "BINARY_MODULO" None Next F(-1);
    23 BinaryAdd "BINARY_ADD" None Next F(-1);
    24 BinarySubtract "BINARY_SUBTRACT" None Next F(-1);
    25 BinarySubscr "BINARY_SUBSCR" None Next F(-1);
    26 BinaryFloorDivide "BINARY_FLOOR_DIVIDE" None Next F(-1);
    27 BinaryTrueDivide "BINARY_TRUE_DIVIDE" None Next F(-1);
    28 InplaceFloorDivide "INPLACE_FLOOR_DIVIDE" None Next F(-1);
    29 InplaceTrueDivide "INPLACE_TRUE_DIVIDE" None Next F(-1);
    48 Reraise "RERAISE" None Exit F(-3);
    49 WithExceptStart "WITH_EXCEPT_START" None Next F(1);
    50 GetAiter "GET_AITER" None Next F(0);
    51 GetAnext "GET_ANEXT" None Next F(1);
    52 BeforeAsyncWith "BEFORE_ASYNC_WITH" None Next F(1);
    54 EndAsyncFor "END_ASYNC_FOR" None Next F(-7);
    55 InplaceAdd "INPLACE_ADD" None Next F(-1);
    56 InplaceSubtract "INPLACE_SUBTRACT" None Next F(-1);
    57 InplaceMultiply "INPLACE_MULTIPLY" None Next F(-1);
    59 InplaceModulo "INPLACE_MODULO" None Next F(-1);
    60 StoreSubscr "STORE_SUBSCR" None Next F(-3);
    61 DeleteSubscr "DELETE_SUBSCR" None Next F(-2);
    62 BinaryLshift "BINARY_LSHIFT" None Next F(-1);
    63 BinaryRshift "BINARY_RSHIFT" None Next F(-1);
    64 BinaryAnd "BINARY_AND" None Next F(-1);
    65 BinaryXor "BINARY_XOR" None Next F(-1);
    66 BinaryOr "BINARY_OR" None Next F(-1);
    67 InplacePower "INPLACE_POWER" None Next F(-1);
    68 GetIter "GET_ITER" None Next F(0);
    69 GetYieldFromIter "GET_YIELD_FROM_ITER" None Next F(0);
    70 PrintExpr "PRINT_EXPR" None Next F(-1);
    71 LoadBuildClass "LOAD_BUILD_CLASS" None Next F(1);
    72 YieldFrom "YIELD_FROM" None Next F(-1);
    73 GetAwaitable "GET_AWAITABLE" None Next F(0);
    74 LoadAssertionError "LOAD_ASSERTION_ERROR" None Next F(1);
    75 InplaceLshift "INPLACE_LSHIFT" None Next F(-1);
    76 InplaceRshift "INPLACE_RSHIFT" None Next F(-1);
    77 InplaceAnd "INPLACE_AND" None Next F(-1);
    78 InplaceXor "INPLACE_XOR" None Next F(-1);
    79 InplaceOr "INPLACE_OR" None Next F(-1);
    82 ListToTuple "LIST_TO_TUPLE" None Next F(0);
    83 ReturnValue "RETURN_VALUE" None Exit F(-1);
    84 ImportStar "IMPORT_STAR" None Next F(-1);
    85 SetupAnnotations "SETUP_ANNOTATIONS" None Next F(0);
    86 YieldValue "YIELD_VALUE" None Next F(0);
    87 PopBlock "POP_BLOCK" None Next F(0);
    89 PopExcept "POP_EXCEPT" None Next F(-3);
    90 StoreName "STORE_NAME" Name Next F(-1);
    91 DeleteName "DELETE_NAME" Name Next F(0);
    92 UnpackSequence "UNPACK_SEQUENCE" Count Next Effect::ArgMinusOne;
    93 ForIter "FOR_ITER" JumpRelative Branch B { fallthrough: 1, jump: -1 };
    94 UnpackEx "UNPACK_EX" Count Next Effect::UnpackEx;
    95 StoreAttr "STORE_ATTR" Name Next F(-2);
    96 DeleteAttr "DELETE_ATTR" Name Next F(-1);
    97 StoreGlobal "STORE_GLOBAL" Name Next F(-1);
    98 DeleteGlobal "DELETE_GLOBAL" Name Next F(0);
    100 LoadConst "LOAD_CONST" Const Next F(1);
    101 LoadName "LOAD_NAME" Name Next F(1);
    102 BuildTuple "BUILD_TUPLE" Count Next Effect::OneMinusArg;
    103 BuildList "BUILD_LIST" Count Next Effect::OneMinusArg;
    104 BuildSet "BUILD_SET" Count Next Effect::OneMinusArg;
    105 BuildMap "BUILD_MAP" Count Next Effect::OneMinusTwiceArg;
    106 LoadAttr "LOAD_ATTR" Name Next F(0);
    107 CompareOp "COMPARE_OP" Compare Next F(-1);
    108 ImportName "IMPORT_NAME" Name Next F(-1);
    109 ImportFrom "IMPORT_FROM" Name Next F(1);
    110 JumpForward "JUMP_FORWARD" JumpRelative Jump F(0);
    111 JumpIfFalseOrPop "JUMP_IF_FALSE_OR_POP" JumpAbsolute Branch B { fallthrough: -1, jump: 0 };
    112 JumpIfTrueOrPop "JUMP_IF_TRUE_OR_POP" JumpAbsolute Branch B { fallthrough: -1, jump: 0 };
    113 JumpAbsolute "JUMP_ABSOLUTE" JumpAbsolute Jump F(0);
    114 PopJumpIfFalse "POP_JUMP_IF_FALSE" JumpAbsolute Branch F(-1);
    115 PopJumpIfTrue "POP_JUMP_IF_TRUE" JumpAbsolute Branch F(-1);
    116 LoadGlobal "LOAD_GLOBAL" Name Next F(1);
    117 IsOp "IS_OP" Flags Next F(-1);
    118 ContainsOp "CONTAINS_OP" Flags Next F(-1);
    121 JumpIfNotExcMatch "JUMP_IF_NOT_EXC_MATCH" JumpAbsolute Branch F(-2);
    122 SetupFinally "SETUP_FINALLY" JumpRelative SetupBlock B { fallthrough: 0, jump: 6 };
    124 LoadFast "LOAD_FAST" Local Next F(1);
    125 StoreFast "STORE_FAST" Local Next F(-1);
    126 DeleteFast "DELETE_FAST" Local Next F(0);
    130 RaiseVarargs "RAISE_VARARGS" Count Exit Effect::MinusArg { extra: 0 };
    131 CallFunction "CALL_FUNCTION" Count Next Effect::MinusArg { extra: 0 };
    132 MakeFunction "MAKE_FUNCTION" Flags Next Effect::MakeFunction;
    133 BuildSlice "BUILD_SLICE" Count Next Effect::BuildSlice;
    135 LoadClosure "LOAD_CLOSURE" Cell Next F(1);
    136 LoadDeref "LOAD_DEREF" Cell Next F(1);
    137 StoreDeref "STORE_DEREF" Cell Next F(-1);
    138 DeleteDeref "DELETE_DEREF" Cell Next F(0);
    141 CallFunctionKw "CALL_FUNCTION_KW" Count Next Effect::MinusArg { extra: 1 };
    142 CallFunctionEx "CALL_FUNCTION_EX" Flags Next Effect::CallFunctionEx;
    143 SetupWith "SETUP_WITH" JumpRelative SetupBlock B { fallthrough: 1, jump: 6 };
    144 ExtendedArg "EXTENDED_ARG" Extended Next F(0);
    145 ListAppend "LIST_APPEND" StackDepth Next F(-1);
    146 SetAdd "SET_ADD" StackDepth Next F(-1);
    147 MapAdd "MAP_ADD" StackDepth Next F(-2);
    148 LoadClassderef "LOAD_CLASSDEREF" Cell Next F(1);
    154 SetupAsyncWith "SETUP_ASYNC_WITH" JumpRelative SetupBlock B { fallthrough: 0, jump: 5 };
    155 FormatValue "FORMAT_VALUE" Flags Next Effect::FormatValue;
    156 BuildConstKeyMap "BUILD_CONST_KEY_MAP" Count Next Effect::MinusArg { extra: 0 };
    157 BuildString "BUILD_STRING" Count Next Effect::OneMinusArg;
    160 LoadMethod "LOAD_METHOD" Name Next F(1);
    161 CallMethod "CALL_METHOD" Count Next Effect::MinusArg { extra: 1 };
    162 ListExtend "LIST_EXTEND" StackDepth Next F(-1);
    163 SetUpdate "SET_UPDATE" StackDepth Next F(-1);
    164 DictMerge "DICT_MERGE" StackDepth Next F(-1);
    165 DictUpdate "DICT_UPDATE" StackDepth Next F(-1);
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
