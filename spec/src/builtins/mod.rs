//! Built-in functions, the methods of built-in types, and the native
//! modules (`math`, `sys`).
//!
//! Every built-in is a row of [`BUILTINS`] (its id, name and where it
//! lives) and an arm of [`call_builtin`].

use crate::code::PyStr;
use crate::interp::iter::IterState;
use crate::interp::ops::{BinOp, CmpOp};
use crate::interp::{text, Fault, Machine, PyResult};
use crate::object::{Dict, Int, Obj, ObjId, TypeObject, Value};

pub(crate) mod bytearray;
mod collections;
mod numbers;
mod sort;
mod strings;
use collections::{dict_method, list_method, list_sort, set_method, view_method};
pub use collections::{
    dict_view_compare, is_classmethod, set_compare, set_operator, set_table_of, view_contains,
};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
pub use numbers::{complex_arith, complex_pow, float_pow, format_complex};
use strings::str_method;

/// Where a built-in lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The `builtins` module.
    Builtins,
    /// A method of the built-in type with this name.
    Type(&'static str),
    /// A static method of the built-in type with this name (`str.maketrans`):
    /// in the type's namespace, never bound to an instance.
    Static(&'static str),
    /// A function of the native module with this name.
    Module(&'static str),
}

macro_rules! builtins {
    ($($variant:ident $name:literal $owner:expr;)*) => {
        /// A built-in function or method.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum BuiltinId {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        /// Every built-in: id, name, owner.
        pub const BUILTINS: &[(BuiltinId, &str, Owner)] = &[
            $((BuiltinId::$variant, $name, $owner),)*
        ];
    };
}

use Owner::{Builtins as B, Module as M, Static as S, Type as T};

builtins! {
    Print "print" B;
    Len "len" B;
    Repr "repr" B;
    Abs "abs" B;
    Min "min" B;
    Max "max" B;
    Sum "sum" B;
    Any "any" B;
    All "all" B;
    IsInstance "isinstance" B;
    IsSubclass "issubclass" B;
    HasAttr "hasattr" B;
    GetAttr "getattr" B;
    SetAttr "setattr" B;
    DelAttr "delattr" B;
    Callable "callable" B;
    Iter "iter" B;
    Next "next" B;
    Sorted "sorted" B;
    Reversed "reversed" B;
    Enumerate "enumerate" B;
    Zip "zip" B;
    Map "map" B;
    Filter "filter" B;
    Divmod "divmod" B;
    Pow "pow" B;
    Round "round" B;
    Hash "hash" B;
    Id "id" B;
    Chr "chr" B;
    Ord "ord" B;
    Hex "hex" B;
    Oct "oct" B;
    Bin "bin" B;
    Format "format" B;
    Ascii "ascii" B;
    BuildClass "__build_class__" B;
    ObjectInit "__init__" T("object");
    ObjectNew "__new__" T("object");
    ObjectSetattr "__setattr__" T("object");
    ObjectDelattr "__delattr__" T("object");
    ObjectGetattribute "__getattribute__" T("object");
    ObjectRepr "__repr__" T("object");
    ObjectStr "__str__" T("object");
    ObjectEq "__eq__" T("object");
    ObjectNe "__ne__" T("object");
    ObjectHash "__hash__" T("object");
    ObjectFormat "__format__" T("object");
    ObjectInitSubclass "__init_subclass__" T("object");
    ObjectDir "__dir__" T("object");
    TypeMro "mro" T("type");
    ExcInit "__init__" T("BaseException");
    ExcStr "__str__" T("BaseException");
    ExcRepr "__repr__" T("BaseException");
    ExcWithTraceback "with_traceback" T("BaseException");
    SliceIndices "indices" T("slice");
    TypeCall "__call__" T("type");
    TypeSubclasses "__subclasses__" T("type");
    RangeIndex "index" T("range");
    RangeCount "count" T("range");
    FunctionCall "__call__" T("function");
    MethodCall "__call__" T("method");
    BuiltinCall "__call__" T("builtin_function_or_method");
    PropertyGetter "getter" T("property");
    PropertySetter "setter" T("property");
    PropertyDeleter "deleter" T("property");
    Globals "globals" B;
    Locals "locals" B;
    Vars "vars" B;
    Dir "dir" B;
    StrJoin "join" T("str");
    StrSplit "split" T("str");
    StrStrip "strip" T("str");
    StrLstrip "lstrip" T("str");
    StrRstrip "rstrip" T("str");
    StrReplace "replace" T("str");
    StrFind "find" T("str");
    StrIndex "index" T("str");
    StrCount "count" T("str");
    StrStartswith "startswith" T("str");
    StrEndswith "endswith" T("str");
    StrUpper "upper" T("str");
    StrLower "lower" T("str");
    StrIsdigit "isdigit" T("str");
    StrIsalpha "isalpha" T("str");
    StrIsspace "isspace" T("str");
    StrFormat "format" T("str");
    StrRsplit "rsplit" T("str");
    StrRfind "rfind" T("str");
    StrRindex "rindex" T("str");
    StrCapitalize "capitalize" T("str");
    StrCasefold "casefold" T("str");
    StrCenter "center" T("str");
    StrEncode "encode" T("str");
    StrExpandtabs "expandtabs" T("str");
    StrFormatMap "format_map" T("str");
    StrIsalnum "isalnum" T("str");
    StrIsascii "isascii" T("str");
    StrIsdecimal "isdecimal" T("str");
    StrIsidentifier "isidentifier" T("str");
    StrIslower "islower" T("str");
    StrIsnumeric "isnumeric" T("str");
    StrIsprintable "isprintable" T("str");
    StrIstitle "istitle" T("str");
    StrIsupper "isupper" T("str");
    StrLjust "ljust" T("str");
    StrPartition "partition" T("str");
    StrRemoveprefix "removeprefix" T("str");
    StrRemovesuffix "removesuffix" T("str");
    StrRjust "rjust" T("str");
    StrRpartition "rpartition" T("str");
    StrSplitlines "splitlines" T("str");
    StrSwapcase "swapcase" T("str");
    StrTitle "title" T("str");
    StrZfill "zfill" T("str");
    StrMaketrans "maketrans" S("str");
    StrTranslate "translate" T("str");
    BytesDecode "decode" T("bytes");
    BytesHex "hex" T("bytes");
    BytesFromhex "fromhex" S("bytes");
    BytesJoin "join" T("bytes");
    BytesSplit "split" T("bytes");
    BytesRsplit "rsplit" T("bytes");
    BytesStrip "strip" T("bytes");
    BytesLstrip "lstrip" T("bytes");
    BytesRstrip "rstrip" T("bytes");
    BytesStartswith "startswith" T("bytes");
    BytesEndswith "endswith" T("bytes");
    BytesFind "find" T("bytes");
    BytesRfind "rfind" T("bytes");
    BytesIndex "index" T("bytes");
    BytesRindex "rindex" T("bytes");
    BytesCount "count" T("bytes");
    BytesReplace "replace" T("bytes");
    BytesUpper "upper" T("bytes");
    BytesLower "lower" T("bytes");
    BytesSwapcase "swapcase" T("bytes");
    BytesCapitalize "capitalize" T("bytes");
    BytesTitle "title" T("bytes");
    BytesIsalpha "isalpha" T("bytes");
    BytesIsdigit "isdigit" T("bytes");
    BytesIsalnum "isalnum" T("bytes");
    BytesIsspace "isspace" T("bytes");
    BytesIslower "islower" T("bytes");
    BytesIsupper "isupper" T("bytes");
    BytesIstitle "istitle" T("bytes");
    BytesIsascii "isascii" T("bytes");
    BytesCenter "center" T("bytes");
    BytesLjust "ljust" T("bytes");
    BytesRjust "rjust" T("bytes");
    BytesZfill "zfill" T("bytes");
    BytesPartition "partition" T("bytes");
    BytesRpartition "rpartition" T("bytes");
    BytesRemoveprefix "removeprefix" T("bytes");
    BytesRemovesuffix "removesuffix" T("bytes");
    BytesSplitlines "splitlines" T("bytes");
    BytesExpandtabs "expandtabs" T("bytes");
    BytearrayAppend "append" T("bytearray");
    BytearrayExtend "extend" T("bytearray");
    BytearrayPop "pop" T("bytearray");
    BytearrayInsert "insert" T("bytearray");
    BytearrayRemove "remove" T("bytearray");
    BytearrayClear "clear" T("bytearray");
    BytearrayCopy "copy" T("bytearray");
    BytearrayReverse "reverse" T("bytearray");
    ListAppend "append" T("list");
    ListExtend "extend" T("list");
    ListPop "pop" T("list");
    ListInsert "insert" T("list");
    ListRemove "remove" T("list");
    ListIndex "index" T("list");
    ListCount "count" T("list");
    ListSort "sort" T("list");
    ListReverse "reverse" T("list");
    ListCopy "copy" T("list");
    ListClear "clear" T("list");
    ListLen "__len__" T("list");
    ListGetitem "__getitem__" T("list");
    ListSetitem "__setitem__" T("list");
    ListDelitem "__delitem__" T("list");
    ListContains "__contains__" T("list");
    TupleIndex "index" T("tuple");
    TupleCount "count" T("tuple");
    DictGet "get" T("dict");
    DictKeys "keys" T("dict");
    DictValues "values" T("dict");
    DictItems "items" T("dict");
    DictSetdefault "setdefault" T("dict");
    DictPop "pop" T("dict");
    DictUpdate "update" T("dict");
    DictCopy "copy" T("dict");
    DictClear "clear" T("dict");
    DictPopitem "popitem" T("dict");
    DictFromkeys "fromkeys" T("dict");
    DictOr "__or__" T("dict");
    DictIor "__ior__" T("dict");
    DictLen "__len__" T("dict");
    DictGetitem "__getitem__" T("dict");
    DictSetitem "__setitem__" T("dict");
    DictDelitem "__delitem__" T("dict");
    DictContains "__contains__" T("dict");
    KeysAnd "__and__" T("dict_keys");
    KeysRand "__rand__" T("dict_keys");
    KeysOr "__or__" T("dict_keys");
    KeysRor "__ror__" T("dict_keys");
    KeysSub "__sub__" T("dict_keys");
    KeysRsub "__rsub__" T("dict_keys");
    KeysXor "__xor__" T("dict_keys");
    KeysRxor "__rxor__" T("dict_keys");
    KeysIsdisjoint "isdisjoint" T("dict_keys");
    ItemsAnd "__and__" T("dict_items");
    ItemsRand "__rand__" T("dict_items");
    ItemsOr "__or__" T("dict_items");
    ItemsRor "__ror__" T("dict_items");
    ItemsSub "__sub__" T("dict_items");
    ItemsRsub "__rsub__" T("dict_items");
    ItemsXor "__xor__" T("dict_items");
    ItemsRxor "__rxor__" T("dict_items");
    ItemsIsdisjoint "isdisjoint" T("dict_items");
    SetAdd "add" T("set");
    SetRemove "remove" T("set");
    SetDiscard "discard" T("set");
    SetPop "pop" T("set");
    SetClear "clear" T("set");
    SetCopy "copy" T("set");
    SetUpdate "update" T("set");
    SetUnion "union" T("set");
    SetIntersection "intersection" T("set");
    SetDifference "difference" T("set");
    SetSymmetricDifference "symmetric_difference" T("set");
    SetIntersectionUpdate "intersection_update" T("set");
    SetDifferenceUpdate "difference_update" T("set");
    SetSymmetricDifferenceUpdate "symmetric_difference_update" T("set");
    SetIssubset "issubset" T("set");
    SetIssuperset "issuperset" T("set");
    SetIsdisjoint "isdisjoint" T("set");
    SetIor "__ior__" T("set");
    SetIand "__iand__" T("set");
    SetIsub "__isub__" T("set");
    SetIxor "__ixor__" T("set");
    FrozensetCopy "copy" T("frozenset");
    FrozensetUnion "union" T("frozenset");
    FrozensetIntersection "intersection" T("frozenset");
    FrozensetDifference "difference" T("frozenset");
    FrozensetSymmetricDifference "symmetric_difference" T("frozenset");
    FrozensetIssubset "issubset" T("frozenset");
    FrozensetIssuperset "issuperset" T("frozenset");
    FrozensetIsdisjoint "isdisjoint" T("frozenset");
    GenSend "send" T("generator");
    GenThrow "throw" T("generator");
    GenClose "close" T("generator");
    MathSqrt "sqrt" M("math");
    MathFloor "floor" M("math");
    MathCeil "ceil" M("math");
    MathGcd "gcd" M("math");
    MathFactorial "factorial" M("math");
    MathTrunc "trunc" M("math");
    MathFabs "fabs" M("math");
    MathExp "exp" M("math");
    MathExpm1 "expm1" M("math");
    MathLog "log" M("math");
    MathLog2 "log2" M("math");
    MathLog10 "log10" M("math");
    MathLog1p "log1p" M("math");
    MathPow "pow" M("math");
    MathSin "sin" M("math");
    MathCos "cos" M("math");
    MathTan "tan" M("math");
    MathAsin "asin" M("math");
    MathAcos "acos" M("math");
    MathAtan "atan" M("math");
    MathAtan2 "atan2" M("math");
    MathSinh "sinh" M("math");
    MathCosh "cosh" M("math");
    MathTanh "tanh" M("math");
    MathAsinh "asinh" M("math");
    MathAcosh "acosh" M("math");
    MathAtanh "atanh" M("math");
    MathHypot "hypot" M("math");
    MathDegrees "degrees" M("math");
    MathRadians "radians" M("math");
    MathIsclose "isclose" M("math");
    MathIsfinite "isfinite" M("math");
    MathIsinf "isinf" M("math");
    MathIsnan "isnan" M("math");
    MathLcm "lcm" M("math");
    MathComb "comb" M("math");
    MathPerm "perm" M("math");
    MathProd "prod" M("math");
    MathFsum "fsum" M("math");
    MathIsqrt "isqrt" M("math");
    MathCopysign "copysign" M("math");
    MathFmod "fmod" M("math");
    MathModf "modf" M("math");
    MathFrexp "frexp" M("math");
    MathLdexp "ldexp" M("math");
    MathDist "dist" M("math");
    MathRemainder "remainder" M("math");
    MathErf "erf" M("math");
    MathErfc "erfc" M("math");
    MathGamma "gamma" M("math");
    MathLgamma "lgamma" M("math");
    MathNextafter "nextafter" M("math");
    MathUlp "ulp" M("math");
    IntBitLength "bit_length" T("int");
    IntToBytes "to_bytes" T("int");
    IntFromBytes "from_bytes" T("int");
    IntConjugate "conjugate" T("int");
    IntAsIntegerRatio "as_integer_ratio" T("int");
    IntAdd "__add__" T("int");
    IntRadd "__radd__" T("int");
    IntSub "__sub__" T("int");
    IntRsub "__rsub__" T("int");
    IntMul "__mul__" T("int");
    IntRmul "__rmul__" T("int");
    IntTruediv "__truediv__" T("int");
    IntRtruediv "__rtruediv__" T("int");
    IntFloordiv "__floordiv__" T("int");
    IntRfloordiv "__rfloordiv__" T("int");
    IntMod "__mod__" T("int");
    IntRmod "__rmod__" T("int");
    IntDivmod "__divmod__" T("int");
    IntRdivmod "__rdivmod__" T("int");
    IntPow "__pow__" T("int");
    IntRpow "__rpow__" T("int");
    IntLshift "__lshift__" T("int");
    IntRlshift "__rlshift__" T("int");
    IntRshift "__rshift__" T("int");
    IntRrshift "__rrshift__" T("int");
    IntAnd "__and__" T("int");
    IntRand "__rand__" T("int");
    IntOr "__or__" T("int");
    IntRor "__ror__" T("int");
    IntXor "__xor__" T("int");
    IntRxor "__rxor__" T("int");
    IntEq "__eq__" T("int");
    IntNe "__ne__" T("int");
    IntLt "__lt__" T("int");
    IntLe "__le__" T("int");
    IntGt "__gt__" T("int");
    IntGe "__ge__" T("int");
    IntNeg "__neg__" T("int");
    IntPos "__pos__" T("int");
    IntAbs "__abs__" T("int");
    IntInvert "__invert__" T("int");
    IntBool "__bool__" T("int");
    IntInt "__int__" T("int");
    IntFloat "__float__" T("int");
    IntIndex "__index__" T("int");
    IntTrunc "__trunc__" T("int");
    IntFloor "__floor__" T("int");
    IntCeil "__ceil__" T("int");
    IntRound "__round__" T("int");
    IntHash "__hash__" T("int");
    IntRepr "__repr__" T("int");
    IntStr "__str__" T("int");
    IntFormat "__format__" T("int");
    FloatIsInteger "is_integer" T("float");
    FloatHex "hex" T("float");
    FloatFromhex "fromhex" T("float");
    FloatAsIntegerRatio "as_integer_ratio" T("float");
    FloatConjugate "conjugate" T("float");
    FloatAdd "__add__" T("float");
    FloatRadd "__radd__" T("float");
    FloatSub "__sub__" T("float");
    FloatRsub "__rsub__" T("float");
    FloatMul "__mul__" T("float");
    FloatRmul "__rmul__" T("float");
    FloatTruediv "__truediv__" T("float");
    FloatRtruediv "__rtruediv__" T("float");
    FloatFloordiv "__floordiv__" T("float");
    FloatRfloordiv "__rfloordiv__" T("float");
    FloatMod "__mod__" T("float");
    FloatRmod "__rmod__" T("float");
    FloatDivmod "__divmod__" T("float");
    FloatRdivmod "__rdivmod__" T("float");
    FloatPow "__pow__" T("float");
    FloatRpow "__rpow__" T("float");
    FloatEq "__eq__" T("float");
    FloatNe "__ne__" T("float");
    FloatLt "__lt__" T("float");
    FloatLe "__le__" T("float");
    FloatGt "__gt__" T("float");
    FloatGe "__ge__" T("float");
    FloatNeg "__neg__" T("float");
    FloatPos "__pos__" T("float");
    FloatAbs "__abs__" T("float");
    FloatBool "__bool__" T("float");
    FloatInt "__int__" T("float");
    FloatFloat "__float__" T("float");
    FloatTrunc "__trunc__" T("float");
    FloatFloor "__floor__" T("float");
    FloatCeil "__ceil__" T("float");
    FloatRound "__round__" T("float");
    FloatHash "__hash__" T("float");
    FloatRepr "__repr__" T("float");
    FloatStr "__str__" T("float");
    FloatFormat "__format__" T("float");
        BoolAnd "__and__" T("bool");
    BoolRand "__rand__" T("bool");
    BoolOr "__or__" T("bool");
    BoolRor "__ror__" T("bool");
    BoolXor "__xor__" T("bool");
    BoolRxor "__rxor__" T("bool");
    ComplexConjugate "conjugate" T("complex");
    ComplexInt "__int__" T("complex");
    ComplexFloat "__float__" T("complex");
    ComplexFormat "__format__" T("complex");
    SysExit "exit" M("sys");
}

/// The name of a built-in.
pub fn name_of(id: BuiltinId) -> &'static str {
    BUILTINS
        .iter()
        .find(|(b, _, _)| *b == id)
        .map_or("?", |(_, n, _)| n)
}

/// Where built-in `id` lives.
pub fn owner_of(id: BuiltinId) -> Option<Owner> {
    BUILTINS
        .iter()
        .find(|(b, _, _)| *b == id)
        .map(|(_, _, o)| *o)
}

/// Whether a built-in is a method of a type (so attribute lookup binds it).
/// Static methods of built-in types ([`Owner::Static`]) are never bound.
pub fn is_method(id: BuiltinId) -> bool {
    BUILTINS
        .iter()
        .any(|(b, _, o)| *b == id && matches!(o, Owner::Type(_)))
}

pub(crate) type Args = Vec<Value>;
pub(crate) type Kwargs = Vec<(PyStr, Value)>;

/// A native constructor of a built-in type.
pub type Constructor = fn(&mut Machine, ObjId, Args, Kwargs) -> PyResult<Value>;

/// The native constructor for calls of built-in type `t` (or of a class
/// deriving from a built-in type other than `object`).
pub fn constructor_of(m: &Machine, t: ObjId) -> Option<Constructor> {
    let ty = m.type_object(t);
    if ty.module.as_str() != Some("builtins") {
        return None;
    }
    let name = ty.name.as_str()?;
    Some(match name {
        "int" => ctor_int,
        "float" => ctor_float,
        "str" => ctor_str,
        "bool" => ctor_bool,
        "list" => ctor_list,
        "tuple" => ctor_tuple,
        "dict" => ctor_dict,
        "set" => ctor_set,
        "frozenset" => ctor_frozenset,
        "complex" => numbers::ctor_complex,
        "range" => ctor_range,
        "type" => ctor_type,
        "object" => ctor_object,
        "property" => ctor_property,
        "staticmethod" => ctor_staticmethod,
        "classmethod" => ctor_classmethod,
        "super" => ctor_super,
        "slice" => ctor_slice,
        "bytearray" => ctor_bytearray,
        "bytes" => ctor_bytes,
        "NoneType" | "NotImplementedType" | "ellipsis" => ctor_singleton,
        "builtin_function_or_method"
        | "method-wrapper"
        | "generator"
        | "list_iterator"
        | "list_reverseiterator"
        | "tuple_iterator"
        | "str_iterator"
        | "bytes_iterator"
        | "set_iterator"
        | "range_iterator"
        | "dict_keyiterator"
        | "dict_valueiterator"
        | "dict_itemiterator"
        | "callable_iterator"
        | "dict_keys"
        | "dict_values"
        | "dict_items" => ctor_refused,
        _ => return None,
    })
}

/// `type(None)()`, `type(...)()`, `type(NotImplemented)()`: the singleton.
fn ctor_singleton(m: &mut Machine, t: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    let name = m.type_name(t);
    if !args.is_empty() || !kw.is_empty() {
        return Err(m.type_error(format!("{name} takes no arguments")));
    }
    Ok(match name.as_str() {
        "NoneType" => Value::None,
        "ellipsis" => Value::Ellipsis,
        _ => Value::NotImplemented,
    })
}

/// The types whose `tp_new` is NULL: `cannot create 'T' instances`.
fn ctor_refused(m: &mut Machine, t: ObjId, _args: Args, _kw: Kwargs) -> PyResult<Value> {
    let name = m.type_name(t);
    Err(m.type_error(format!("cannot create '{name}' instances")))
}

pub(crate) fn arg_count(
    m: &mut Machine,
    name: &str,
    args: &Args,
    min: usize,
    max: usize,
) -> PyResult<()> {
    let n = args.len();
    if n < min || n > max {
        let msg = if min == max {
            if min == 1 {
                format!("{name}() takes exactly one argument ({n} given)")
            } else {
                format!("{name} expected {min} arguments, got {n}")
            }
        } else if n < min {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{name} expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        };
        return Err(m.type_error(msg));
    }
    Ok(())
}

pub(crate) fn kwarg(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .map(|(_, v)| v.clone())
}

pub(crate) fn str_arg(m: &mut Machine, v: &Value, what: &str) -> PyResult<PyStr> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        _ => {
            let tn = m.type_name_of(v);
            Err(m.type_error(format!("{what} must be str, not {tn}")))
        }
    }
}

/// The attribute-name argument of `getattr` and friends.
fn attr_name(m: &mut Machine, v: &Value, prefix: &str) -> PyResult<PyStr> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        _ => Err(m.type_error(format!("{prefix}attribute name must be string"))),
    }
}

fn int_v(i: BigInt) -> Value {
    Value::Int(Int::from_big(i))
}

/// Calls built-in `id` with an optional bound receiver.
pub fn call_builtin(
    m: &mut Machine,
    id: BuiltinId,
    receiver: Option<Value>,
    mut args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    if let Some(r) = receiver {
        args.insert(0, r);
    }
    // A method of a built-in type called on an instance of a user subclass
    // works on the built-in value that instance extends.
    if let Some(Owner::Type(owner)) = owner_of(id) {
        if !matches!(owner, "object" | "BaseException" | "type") {
            if let Some(b) = args.first().and_then(|a| m.base_of(a)) {
                args[0] = b;
            }
        }
    }
    use BuiltinId::*;
    match id {
        Print => {
            let sep = match kwarg(&kwargs, "sep") {
                None | Some(Value::None) => " ".to_string(),
                Some(Value::Str(s)) => text(&s),
                Some(v) => {
                    let tn = m.type_name_of(&v);
                    return Err(m.type_error(format!("sep must be None or a string, not {tn}")));
                }
            };
            let end = match kwarg(&kwargs, "end") {
                None | Some(Value::None) => "\n".to_string(),
                Some(Value::Str(s)) => text(&s),
                Some(v) => {
                    let tn = m.type_name_of(&v);
                    return Err(m.type_error(format!("end must be None or a string, not {tn}")));
                }
            };
            let mut out = String::new();
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(&sep);
                }
                out.push_str(&m.str_of(a)?);
            }
            out.push_str(&end);
            m.write_stdout(&out);
            Ok(Value::None)
        }
        Len => {
            arg_count(m, "len", &args, 1, 1)?;
            let n = m.len_of(&args[0])?;
            Ok(Value::int(n as i64))
        }
        Repr => {
            arg_count(m, "repr", &args, 1, 1)?;
            Ok(Value::str(&m.repr_of(&args[0])?))
        }
        Ascii => {
            arg_count(m, "ascii", &args, 1, 1)?;
            Ok(Value::str(&ascii_of(m, &args[0])?))
        }
        Abs => {
            arg_count(m, "abs", &args, 1, 1)?;
            match &args[0] {
                Value::Int(i) => Ok(int_v(i.to_big().abs())),
                Value::Bool(b) => Ok(Value::int(i64::from(*b))),
                Value::Float(f) => Ok(Value::float(f.get().abs())),
                Value::Complex(a, b) => Ok(Value::float(a.hypot(*b))),
                v => {
                    let v = v.clone();
                    let t = m.type_of(&v);
                    match m.lookup_in_mro(t, &PyStr::from("__abs__")) {
                        Some(f) => m.call(f, vec![v], vec![]),
                        None => {
                            let tn = m.type_name(t);
                            Err(m.type_error(format!("bad operand type for abs(): '{tn}'")))
                        }
                    }
                }
            }
        }
        Min | Max => min_max(m, id == Max, args, kwargs),
        Sum => {
            arg_count(m, "sum", &args, 1, 2)?;
            let mut acc = args
                .get(1)
                .cloned()
                .or_else(|| kwarg(&kwargs, "start"))
                .unwrap_or(Value::int(0));
            if matches!(acc, Value::Str(_)) {
                return Err(
                    m.type_error("sum() can't sum strings [use ''.join(seq) instead]".into())
                );
            }
            let it = m.get_iter(&args[0])?;
            while let Some(v) = m.next_of(&it)? {
                acc = m.binary_op(BinOp::Add, &acc, &v, false)?;
            }
            Ok(acc)
        }
        Any | All => {
            arg_count(m, if id == Any { "any" } else { "all" }, &args, 1, 1)?;
            let it = m.get_iter(&args[0])?;
            while let Some(v) = m.next_of(&it)? {
                let t = m.truthy(&v)?;
                if t == (id == Any) {
                    return Ok(Value::Bool(id == Any));
                }
            }
            Ok(Value::Bool(id == All))
        }
        IsInstance | IsSubclass => {
            let name = if id == IsInstance {
                "isinstance"
            } else {
                "issubclass"
            };
            arg_count(m, name, &args, 2, 2)?;
            // Nested tuples are flattened, as `PyObject_IsInstance` recurses.
            let mut classes: Vec<Value> = Vec::new();
            let mut todo = vec![args[1].clone()];
            while let Some(c) = todo.pop() {
                match c {
                    Value::Tuple(t) => todo.extend(t.iter().rev().cloned()),
                    v => classes.push(v),
                }
            }
            let sub = if id == IsInstance {
                m.type_of(&args[0])
            } else {
                match &args[0] {
                    Value::Obj(t) if m.is_type(&args[0]) => *t,
                    _ => return Err(m.type_error("issubclass() arg 1 must be a class".into())),
                }
            };
            for c in classes {
                match c {
                    Value::Obj(cid) if m.is_type(&c) => {
                        if m.is_subtype(sub, cid) {
                            return Ok(Value::Bool(true));
                        }
                    }
                    _ => {
                        return Err(m.type_error(format!(
                            "{name}() arg 2 must be a type or tuple of types"
                        )))
                    }
                }
            }
            Ok(Value::Bool(false))
        }
        HasAttr => {
            arg_count(m, "hasattr", &args, 2, 2)?;
            let n = attr_name(m, &args[1], "hasattr(): ")?;
            match m.get_attr(&args[0], &n) {
                Ok(_) => Ok(Value::Bool(true)),
                Err(Fault::Raise(e))
                    if m.is_instance(&Value::Obj(e), m.types.get("AttributeError")) =>
                {
                    Ok(Value::Bool(false))
                }
                Err(e) => Err(e),
            }
        }
        GetAttr => {
            arg_count(m, "getattr", &args, 2, 3)?;
            let n = attr_name(m, &args[1], "getattr(): ")?;
            match m.get_attr(&args[0], &n) {
                Ok(v) => Ok(v),
                Err(Fault::Raise(e))
                    if args.len() == 3
                        && m.is_instance(&Value::Obj(e), m.types.get("AttributeError")) =>
                {
                    Ok(args[2].clone())
                }
                Err(e) => Err(e),
            }
        }
        SetAttr => {
            arg_count(m, "setattr", &args, 3, 3)?;
            let n = attr_name(m, &args[1], "")?;
            m.set_attr(&args[0], &n, args[2].clone())?;
            Ok(Value::None)
        }
        DelAttr => {
            arg_count(m, "delattr", &args, 2, 2)?;
            let n = attr_name(m, &args[1], "")?;
            m.generic_set_attr(&args[0], &n, None)?;
            Ok(Value::None)
        }
        Callable => {
            arg_count(m, "callable", &args, 1, 1)?;
            let v = &args[0];
            let r = match v {
                Value::Obj(id) => match m.heap.get(*id) {
                    Obj::Function(_)
                    | Obj::BoundMethod { .. }
                    | Obj::Builtin { .. }
                    | Obj::Type(_) => true,
                    _ => {
                        let t = m.type_of(v);
                        m.lookup_in_mro(t, &PyStr::from("__call__")).is_some()
                    }
                },
                _ => false,
            };
            Ok(Value::Bool(r))
        }
        Iter => {
            arg_count(m, "iter", &args, 1, 2)?;
            if args.len() == 2 {
                return Ok(m.make_iter(IterState::Callable {
                    f: args[0].clone(),
                    sentinel: args[1].clone(),
                }));
            }
            m.get_iter(&args[0])
        }
        Next => {
            arg_count(m, "next", &args, 1, 2)?;
            let it = args[0].clone();
            let is_iter = match &it {
                Value::Obj(id) => {
                    matches!(m.heap.get(*id), Obj::Iterator(_) | Obj::Generator(_)) || {
                        let t = m.type_of(&it);
                        m.lookup_in_mro(t, &PyStr::from("__next__")).is_some()
                    }
                }
                _ => false,
            };
            if !is_iter {
                let tn = m.type_name_of(&it);
                return Err(m.type_error(format!("'{tn}' object is not an iterator")));
            }
            // A generator's return value travels in its StopIteration.
            if let Value::Obj(g) = &it {
                if matches!(m.heap.get(*g), Obj::Generator(_)) {
                    return match m.resume(*g, Value::None, None)? {
                        crate::interp::generator::Resumed::Yielded(v) => Ok(v),
                        crate::interp::generator::Resumed::Returned(r) => match args.get(1) {
                            Some(d) => Ok(d.clone()),
                            None => Err(stop_iteration(m, r)),
                        },
                    };
                }
            }
            match m.next_of(&it)? {
                Some(v) => Ok(v),
                None => match args.get(1) {
                    Some(d) => Ok(d.clone()),
                    None => Err(m.new_error_args("StopIteration", vec![])),
                },
            }
        }
        Sorted => {
            arg_count(m, "sorted", &args, 1, 1)?;
            let items = m.collect(&args[0])?;
            let l = Value::Obj(m.heap.alloc(Obj::List(items)));
            list_sort(m, &l, &kwargs)?;
            Ok(l)
        }
        Reversed => {
            arg_count(m, "reversed", &args, 1, 1)?;
            let v = &args[0];
            let items = match v {
                Value::Obj(id) if matches!(m.heap.get(*id), Obj::Instance { .. }) => {
                    let t = m.type_of(v);
                    if let Some(f) = m.lookup_in_mro(t, &PyStr::from("__reversed__")) {
                        return m.call(f, vec![v.clone()], vec![]);
                    }
                    m.collect(v)?
                }
                Value::Obj(id)
                    if matches!(
                        m.heap.get(*id),
                        Obj::Iterator(_)
                            | Obj::Generator(_)
                            | Obj::Set { .. }
                            | Obj::Module { .. }
                            | Obj::Function(_)
                    ) =>
                {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!("'{tn}' object is not reversible")));
                }
                Value::Int(_)
                | Value::Float(_)
                | Value::Bool(_)
                | Value::None
                | Value::Complex(..) => {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!("'{tn}' object is not reversible")));
                }
                _ => m.collect(v)?,
            };
            let kind = match v {
                Value::Obj(id) if matches!(m.heap.get(*id), Obj::List(_)) => "list_reverseiterator",
                Value::Obj(id) if matches!(m.heap.get(*id), Obj::Range { .. }) => "range_iterator",
                _ => "reversed",
            };
            let mut items = items;
            items.reverse();
            Ok(m.make_iter(IterState::Values {
                items: items.into(),
                index: 0,
                kind,
            }))
        }
        Enumerate => {
            arg_count(m, "enumerate", &args, 1, 2)?;
            let inner = m.get_iter(&args[0])?;
            let start = args.get(1).cloned().or_else(|| kwarg(&kwargs, "start"));
            let count = match start {
                Some(v) => m.index_of(&v, "'{}' object cannot be interpreted as an integer")?,
                None => BigInt::zero(),
            };
            Ok(m.make_iter(IterState::Enumerate { inner, count }))
        }
        Zip => {
            let mut inners = Vec::with_capacity(args.len());
            for (i, a) in args.iter().enumerate() {
                match m.get_iter(a) {
                    Ok(it) => inners.push(it),
                    Err(Fault::Raise(_)) => {
                        return Err(
                            m.type_error(format!("zip argument #{} must support iteration", i + 1))
                        )
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(m.make_iter(IterState::Zip(inners)))
        }
        Map => {
            if args.len() < 2 {
                return Err(m.type_error("map() must have at least two arguments.".into()));
            }
            let f = args[0].clone();
            let mut inners = Vec::new();
            for a in &args[1..] {
                inners.push(m.get_iter(a)?);
            }
            Ok(m.make_iter(IterState::Map { f, inners }))
        }
        Filter => {
            arg_count(m, "filter", &args, 2, 2)?;
            let inner = m.get_iter(&args[1])?;
            Ok(m.make_iter(IterState::Filter {
                f: args[0].clone(),
                inner,
            }))
        }
        Divmod => {
            arg_count(m, "divmod", &args, 2, 2)?;
            numbers::divmod(m, &args[0], &args[1])
        }
        Pow => {
            arg_count(m, "pow", &args, 2, 3)?;
            if args.len() == 3 && !matches!(args[2], Value::None) {
                return numbers::ternary_pow(m, &args[0], &args[1], &args[2]);
            }
            m.binary_op(BinOp::Pow, &args[0], &args[1], false)
        }
        Round => round(m, args),
        Hash => {
            arg_count(m, "hash", &args, 1, 1)?;
            Ok(Value::int(m.hash_of(&args[0])?))
        }
        Id => {
            arg_count(m, "id", &args, 1, 1)?;
            let v = &args[0];
            Ok(Value::int(match v {
                Value::Obj(o) => 0x7f00_0000_0000 + i64::from(o.0) * 48,
                _ => m.hash_of(v).unwrap_or(0).wrapping_mul(31) & 0x7fff_ffff_ffff,
            }))
        }
        Chr => {
            arg_count(m, "chr", &args, 1, 1)?;
            let i = m.index_of(&args[0], "an integer is required (got type {})")?;
            match i.to_u32().filter(|c| *c <= 0x10FFFF) {
                Some(c) => Ok(Value::Str(PyStr::from_code_points(&[c]))),
                None => Err(m.new_error("ValueError", "chr() arg not in range(0x110000)".into())),
            }
        }
        Ord => {
            arg_count(m, "ord", &args, 1, 1)?;
            let bytearray = match &args[0] {
                Value::Obj(id) => match m.heap.get(*id) {
                    Obj::ByteArray(b) => Some(b.clone()),
                    _ => None,
                },
                _ => None,
            };
            let units: Vec<u32> = match (&args[0], bytearray) {
                (Value::Str(s), _) => s.code_points(),
                (Value::Bytes(b), _) => b.iter().map(|&c| u32::from(c)).collect(),
                (_, Some(b)) => b.iter().map(|&c| u32::from(c)).collect(),
                (v, None) => {
                    let tn = m.type_name_of(v);
                    return Err(
                        m.type_error(format!("ord() expected string of length 1, but {tn} found"))
                    );
                }
            };
            match units.as_slice() {
                [c] => Ok(Value::int(i64::from(*c))),
                _ => Err(m.type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    units.len()
                ))),
            }
        }
        Hex | Oct | Bin => {
            let (name, base, prefix) = match id {
                Hex => ("hex", 16, "0x"),
                Oct => ("oct", 8, "0o"),
                _ => ("bin", 2, "0b"),
            };
            arg_count(m, name, &args, 1, 1)?;
            let i = m.index_of(&args[0], "'{}' object cannot be interpreted as an integer")?;
            let digits = i.abs().to_str_radix(base);
            let sign = if i.is_negative() { "-" } else { "" };
            Ok(Value::str(&format!("{sign}{prefix}{digits}")))
        }
        Format => {
            arg_count(m, "format", &args, 1, 2)?;
            let spec = match args.get(1) {
                Some(Value::Str(s)) => text(s),
                None => String::new(),
                Some(v) => {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!("format() argument 2 must be str, not {tn}")));
                }
            };
            Ok(Value::str(&format_value(m, &args[0], &spec)?))
        }
        BuildClass => build_class(m, args, kwargs),
        ObjectInit if args.len() > 1 => {
            // `super().__init__(items)` in a subclass of list, dict or set
            // fills the built-in value it extends.
            let this = args[0].clone();
            let t = m.type_of(&this);
            match (m.builtin_base(t), this) {
                (Some(bt), Value::Obj(id)) => {
                    let ctor = constructor_of(m, bt).ok_or_else(|| {
                        Fault::Stuck("built-in base without a constructor".into())
                    })?;
                    let base = ctor(m, bt, args[1..].to_vec(), kwargs)?;
                    if let Obj::Instance { base: b, .. } = m.heap.get_mut(id) {
                        *b = Some(base);
                    }
                    Ok(Value::None)
                }
                _ => Ok(Value::None),
            }
        }
        ObjectInit | ObjectInitSubclass => Ok(Value::None),
        ObjectSetattr | ObjectDelattr => {
            let n = if id == ObjectSetattr { 3 } else { 2 };
            arg_count(m, name_of(id), &args, n, n)?;
            let attr = str_arg(m, &args[1], "attribute name")?;
            m.generic_set_attr(&args[0], &attr, args.get(2).cloned())?;
            Ok(Value::None)
        }
        ObjectGetattribute => {
            arg_count(m, "__getattribute__", &args, 2, 2)?;
            let attr = str_arg(m, &args[1], "attribute name")?;
            match m.get_attr_opt(&args[0], &attr)? {
                Some(v) => Ok(v),
                None => Err(m.attribute_error(&args[0], &attr)),
            }
        }
        ObjectRepr => {
            arg_count(m, "__repr__", &args, 1, 1)?;
            Ok(Value::str(&m.default_repr(&args[0])))
        }
        ObjectStr => {
            arg_count(m, "__str__", &args, 1, 1)?;
            Ok(Value::str(&m.repr_of(&args[0])?))
        }
        ObjectEq => {
            arg_count(m, "__eq__", &args, 2, 2)?;
            Ok(if args[0].is(&args[1]) {
                Value::Bool(true)
            } else {
                Value::NotImplemented
            })
        }
        ObjectNe => {
            arg_count(m, "__ne__", &args, 2, 2)?;
            let r = m.compare(CmpOp::Eq, &args[0], &args[1])?;
            match r {
                Value::NotImplemented => Ok(r),
                v => Ok(Value::Bool(!m.truthy(&v)?)),
            }
        }
        ObjectHash => {
            arg_count(m, "__hash__", &args, 1, 1)?;
            Ok(Value::int(m.hash_of(&args[0])?))
        }
        ObjectFormat => {
            arg_count(m, "__format__", &args, 2, 2)?;
            match &args[1] {
                Value::Str(s) if s.as_str() == Some("") => Ok(Value::str(&m.str_of(&args[0])?)),
                _ => {
                    let tn = m.type_name_of(&args[0]);
                    Err(m.type_error(format!(
                        "unsupported format string passed to {tn}.__format__"
                    )))
                }
            }
        }
        ObjectDir | Dir => {
            let target = match args.first() {
                Some(v) => v.clone(),
                None => {
                    return Err(Fault::Stuck(
                        "dir() without arguments is not implemented yet".into(),
                    ))
                }
            };
            let names = m.dir_of(&target)?;
            Ok(Value::Obj(m.heap.alloc(Obj::List(names))))
        }
        TypeMro => match args.first() {
            Some(Value::Obj(t)) if m.is_type(&args[0]) => {
                let mro: Vec<Value> = m
                    .type_object(*t)
                    .mro
                    .iter()
                    .map(|c| Value::Obj(*c))
                    .collect();
                Ok(Value::Obj(m.heap.alloc(Obj::List(mro))))
            }
            _ => Err(m.type_error("descriptor 'mro' requires a 'type' object".into())),
        },
        ExcInit => {
            let Some(Value::Obj(e)) = args.first().cloned() else {
                return Err(
                    m.type_error("descriptor '__init__' requires a 'BaseException' object".into())
                );
            };
            if let Some(s) = m.exc_state_mut(e) {
                s.args = args[1..].to_vec();
            }
            Ok(Value::None)
        }
        ExcStr => match args.first() {
            Some(Value::Obj(e)) => {
                let e = *e;
                Ok(Value::str(&m.exception_args_str(e)?))
            }
            _ => Err(m.type_error("descriptor '__str__' requires a 'BaseException' object".into())),
        },
        ExcRepr => {
            arg_count(m, "__repr__", &args, 1, 1)?;
            Ok(Value::str(&m.exception_repr(&args[0])?))
        }
        ExcWithTraceback => Ok(args.first().cloned().unwrap_or(Value::None)),
        FunctionCall | MethodCall | BuiltinCall => {
            let mut it = args.into_iter();
            let f = it.next().unwrap_or(Value::None);
            m.call(f, it.collect(), kwargs)
        }
        TypeSubclasses => {
            let Some(Value::Obj(cls)) = args.first().cloned() else {
                return Err(
                    m.type_error("descriptor '__subclasses__' requires a 'type' object".into())
                );
            };
            let subs: Vec<Value> = (0..m.heap.len() as u32)
                .map(crate::object::ObjId)
                .filter(|id| matches!(m.heap.get(*id), Obj::Type(t) if t.bases.contains(&cls)))
                .map(Value::Obj)
                .collect();
            Ok(Value::Obj(m.heap.alloc(Obj::List(subs))))
        }
        TypeCall => {
            let mut it = args.into_iter();
            match it.next() {
                Some(Value::Obj(cls)) if m.is_type(&Value::Obj(cls)) => {
                    m.construct(cls, it.collect(), kwargs)
                }
                _ => Err(m.type_error("descriptor '__call__' requires a 'type' object".into())),
            }
        }
        SliceIndices => {
            arg_count(m, "indices", &args, 2, 2)?;
            let len = m.index_of(&args[1], "'{}' object cannot be interpreted as an integer")?;
            let Some(len) = len.to_usize() else {
                return Err(m.new_error("ValueError", "length should not be negative".into()));
            };
            let Value::Obj(sl) = &args[0] else {
                return Err(m.type_error("descriptor 'indices' requires a 'slice' object".into()));
            };
            let (start, stop, step) = m.slice_indices(*sl, len)?;
            Ok(Value::tuple(vec![
                Value::int(start),
                Value::int(stop),
                Value::int(step),
            ]))
        }
        RangeIndex | RangeCount => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let found = m.contains(&args[0], &args[1])?;
            if id == RangeCount {
                return Ok(Value::int(i64::from(found)));
            }
            let (Value::Obj(r), Value::Int(x)) = (&args[0], &args[1]) else {
                // Not an int: `_PySequence_IterSearch`, by equality in
                // order, with the generic sequence message.
                if let (true, Value::Obj(r)) = (found, &args[0]) {
                    if let Obj::Range { start, stop, step } = m.heap.get(*r).clone() {
                        let (mut v, stop, step) = (start.to_big(), stop.to_big(), step.to_big());
                        let mut i: i64 = 0;
                        while (step.is_positive() && v < stop) || (step.is_negative() && v > stop) {
                            if m.eq(&int_v(v.clone()), &args[1])? {
                                return Ok(Value::int(i));
                            }
                            v += &step;
                            i += 1;
                        }
                    }
                }
                return Err(
                    m.new_error("ValueError", "sequence.index(x): x not in sequence".into())
                );
            };
            match (m.heap.get(*r).clone(), found) {
                (Obj::Range { start, step, .. }, true) => {
                    Ok(int_v((x.to_big() - start.to_big()) / step.to_big()))
                }
                _ => {
                    let shown = m.repr_of(&args[1])?;
                    Err(m.new_error("ValueError", format!("{shown} is not in range")))
                }
            }
        }
        PropertyGetter | PropertySetter | PropertyDeleter => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let Value::Obj(p) = &args[0] else {
                return Err(m.type_error("descriptor requires a 'property' object".into()));
            };
            let Obj::Property {
                fget,
                fset,
                fdel,
                doc,
            } = m.heap.get(*p).clone()
            else {
                return Err(m.type_error("descriptor requires a 'property' object".into()));
            };
            let f = args[1].clone();
            let new = match id {
                PropertyGetter => Obj::Property {
                    fget: f,
                    fset,
                    fdel,
                    doc,
                },
                PropertySetter => Obj::Property {
                    fget,
                    fset: f,
                    fdel,
                    doc,
                },
                _ => Obj::Property {
                    fget,
                    fset,
                    fdel: f,
                    doc,
                },
            };
            Ok(Value::Obj(m.heap.alloc(new)))
        }
        Globals | Locals | Vars => {
            let f = m
                .frames
                .back()
                .ok_or_else(|| Fault::Stuck("no frame".into()))?;
            let (globals, locals) = (f.globals, f.locals);
            match (id, args.first()) {
                (Vars, Some(v)) => {
                    let v = v.clone();
                    match m.get_attr_opt(&v, &PyStr::from("__dict__"))? {
                        Some(d) => Ok(d),
                        None => {
                            Err(m.type_error("vars() argument must have __dict__ attribute".into()))
                        }
                    }
                }
                (Globals, _) => Ok(Value::Obj(globals)),
                (_, _) => match locals {
                    Some(l) => Ok(Value::Obj(l)),
                    None => Ok(m.fast_locals_dict()),
                },
            }
        }
        ObjectNew => match args.first() {
            // `super().__new__(cls, v)` in a subclass of a built-in type
            // reaches the built-in type's constructor here.
            Some(Value::Obj(t)) if m.is_type(&args[0]) => match m.builtin_base(*t) {
                // `type.__new__(meta, name, bases, ns)`: a class of metaclass meta.
                Some(bt) if bt == m.types.type_ => ctor_type(m, *t, args[1..].to_vec(), kwargs),
                Some(bt) => {
                    let ctor = constructor_of(m, bt).ok_or_else(|| {
                        Fault::Stuck("built-in base without a constructor".into())
                    })?;
                    let base = ctor(m, bt, args[1..].to_vec(), kwargs)?;
                    Ok(m.instance_with_base(*t, base))
                }
                None => Ok(m.new_instance(*t)),
            },
            _ => Err(m.type_error("object.__new__(X): X is not a type object".into())),
        },
        StrJoin | StrSplit | StrStrip | StrLstrip | StrRstrip | StrReplace | StrFind | StrIndex
        | StrCount | StrStartswith | StrEndswith | StrUpper | StrLower | StrIsdigit
        | StrIsalpha | StrIsspace | StrFormat | StrRsplit | StrRfind | StrRindex
        | StrCapitalize | StrCasefold | StrCenter | StrEncode | StrExpandtabs | StrFormatMap
        | StrIsalnum | StrIsascii | StrIsdecimal | StrIsidentifier | StrIslower | StrIsnumeric
        | StrIsprintable | StrIstitle | StrIsupper | StrLjust | StrPartition | StrRemoveprefix
        | StrRemovesuffix | StrRjust | StrRpartition | StrSplitlines | StrSwapcase | StrTitle
        | StrZfill | StrMaketrans | StrTranslate => str_method(m, id, args, kwargs),
        BytesDecode | BytesHex | BytesFromhex | BytesJoin | BytesSplit | BytesRsplit
        | BytesStrip | BytesLstrip | BytesRstrip | BytesStartswith | BytesEndswith | BytesFind
        | BytesRfind | BytesIndex | BytesRindex | BytesCount | BytesReplace | BytesUpper
        | BytesLower | BytesSwapcase | BytesCapitalize | BytesTitle | BytesIsalpha
        | BytesIsdigit | BytesIsalnum | BytesIsspace | BytesIslower | BytesIsupper
        | BytesIstitle | BytesIsascii | BytesCenter | BytesLjust | BytesRjust | BytesZfill
        | BytesPartition | BytesRpartition | BytesRemoveprefix | BytesRemovesuffix
        | BytesSplitlines | BytesExpandtabs => strings::bytes_method(m, id, args, kwargs),
        BytearrayAppend | BytearrayExtend | BytearrayPop | BytearrayInsert | BytearrayRemove
        | BytearrayClear | BytearrayCopy | BytearrayReverse => {
            bytearray::bytearray_method(m, id, args, kwargs)
        }
        ListAppend | ListExtend | ListPop | ListInsert | ListRemove | ListIndex | ListCount
        | ListSort | ListReverse | ListCopy | ListClear | ListLen | ListGetitem | ListSetitem
        | ListDelitem | ListContains => list_method(m, id, args, kwargs),
        TupleIndex | TupleCount => {
            let items = match args.first() {
                Some(Value::Tuple(t)) => t.to_vec(),
                _ => return Err(m.type_error("descriptor requires a 'tuple' object".into())),
            };
            seq_index_count(m, id == TupleIndex, &items, &args[1..], "tuple")
        }
        DictGet | DictKeys | DictValues | DictItems | DictSetdefault | DictPop | DictUpdate
        | DictCopy | DictClear | DictPopitem | DictFromkeys | DictOr | DictIor | DictLen
        | DictGetitem | DictSetitem | DictDelitem | DictContains => {
            dict_method(m, id, args, kwargs)
        }
        KeysAnd | KeysRand | KeysOr | KeysRor | KeysSub | KeysRsub | KeysXor | KeysRxor
        | KeysIsdisjoint | ItemsAnd | ItemsRand | ItemsOr | ItemsRor | ItemsSub | ItemsRsub
        | ItemsXor | ItemsRxor | ItemsIsdisjoint => view_method(m, id, args, kwargs),
        SetPop
        | SetClear
        | SetCopy
        | SetUpdate
        | SetUnion
        | SetIntersection
        | SetDifference
        | SetSymmetricDifference
        | SetIntersectionUpdate
        | SetDifferenceUpdate
        | SetSymmetricDifferenceUpdate
        | SetIssubset
        | SetIssuperset
        | SetIsdisjoint
        | SetIor
        | SetIand
        | SetIsub
        | SetIxor
        | FrozensetCopy
        | FrozensetUnion
        | FrozensetIntersection
        | FrozensetDifference
        | FrozensetSymmetricDifference
        | FrozensetIssubset
        | FrozensetIssuperset
        | FrozensetIsdisjoint => set_method(m, id, args, kwargs),
        IntBitLength | IntToBytes | IntFromBytes | IntConjugate | IntAsIntegerRatio | IntAdd
        | IntRadd | IntSub | IntRsub | IntMul | IntRmul | IntTruediv | IntRtruediv
        | IntFloordiv | IntRfloordiv | IntMod | IntRmod | IntDivmod | IntRdivmod | IntPow
        | IntRpow | IntLshift | IntRlshift | IntRshift | IntRrshift | IntAnd | IntRand | IntOr
        | IntRor | IntXor | IntRxor | IntEq | IntNe | IntLt | IntLe | IntGt | IntGe | IntNeg
        | IntPos | IntAbs | IntInvert | IntBool | IntInt | IntFloat | IntIndex | IntTrunc
        | IntFloor | IntCeil | IntRound | IntHash | IntRepr | IntStr | IntFormat
        | FloatIsInteger | FloatHex | FloatFromhex | FloatAsIntegerRatio | FloatConjugate
        | FloatAdd | FloatRadd | FloatSub | FloatRsub | FloatMul | FloatRmul | FloatTruediv
        | FloatRtruediv | FloatFloordiv | FloatRfloordiv | FloatMod | FloatRmod | FloatDivmod
        | FloatRdivmod | FloatPow | FloatRpow | FloatEq | FloatNe | FloatLt | FloatLe | FloatGt
        | FloatGe | FloatNeg | FloatPos | FloatAbs | FloatBool | FloatInt | FloatFloat
        | FloatTrunc | FloatFloor | FloatCeil | FloatRound | FloatHash | FloatRepr | FloatStr
        | FloatFormat | ComplexConjugate | ComplexInt | ComplexFloat | ComplexFormat | BoolAnd
        | BoolRand | BoolOr | BoolRor | BoolXor | BoolRxor => {
            numbers::number_method(m, id, args, kwargs)
        }
        SetAdd | SetRemove | SetDiscard => set_method(m, id, args, kwargs),
        GenSend | GenThrow | GenClose => generator_method(m, id, args),
        MathSqrt | MathFloor | MathCeil | MathGcd | MathFactorial | MathTrunc | MathFabs
        | MathExp | MathExpm1 | MathLog | MathLog2 | MathLog10 | MathLog1p | MathPow | MathSin
        | MathCos | MathTan | MathAsin | MathAcos | MathAtan | MathAtan2 | MathSinh | MathCosh
        | MathTanh | MathAsinh | MathAcosh | MathAtanh | MathHypot | MathDegrees | MathRadians
        | MathIsclose | MathIsfinite | MathIsinf | MathIsnan | MathLcm | MathComb | MathPerm
        | MathProd | MathFsum | MathIsqrt | MathCopysign | MathFmod | MathModf | MathFrexp
        | MathLdexp | MathDist | MathRemainder | MathErf | MathErfc | MathGamma | MathLgamma
        | MathNextafter | MathUlp => numbers::math_function(m, id, args, kwargs),
        SysExit => {
            let code = args.into_iter().next();
            Err(m.new_error_args("SystemExit", code.into_iter().collect()))
        }
    }
}

fn float_arg(m: &mut Machine, args: &Args, name: &str) -> PyResult<f64> {
    arg_count(m, name, args, 1, 1)?;
    match &args[0] {
        Value::Float(f) => Ok(f.get()),
        Value::Int(i) => i
            .to_big()
            .to_f64()
            .filter(|f| f.is_finite())
            .ok_or_else(|| {
                m.new_error("OverflowError", "int too large to convert to float".into())
            }),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        v => {
            let tn = m.type_name_of(v);
            Err(m.type_error(format!("must be real number, not {tn}")))
        }
    }
}

fn float_to_int(m: &mut Machine, f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(m.new_error("ValueError", "cannot convert float NaN to integer".into()));
    }
    if f.is_infinite() {
        return Err(m.new_error(
            "OverflowError",
            "cannot convert float infinity to integer".into(),
        ));
    }
    if f.abs() < 9.0e18 {
        return Ok(Value::int(f as i64));
    }
    Ok(int_v(num_bigint::BigInt::from_biguint(
        if f < 0.0 {
            num_bigint::Sign::Minus
        } else {
            num_bigint::Sign::Plus
        },
        float_magnitude(f.abs()),
    )))
}

fn float_magnitude(f: f64) -> num_bigint::BigUint {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = num_bigint::BigUint::from((bits & ((1u64 << 52) - 1)) | (1u64 << 52));
    if exp >= 0 {
        mant << exp as usize
    } else {
        mant >> (-exp) as usize
    }
}

fn round(m: &mut Machine, args: Args) -> PyResult<Value> {
    arg_count(m, "round", &args, 1, 2)?;
    let nd = match args.get(1) {
        None | Some(Value::None) => None,
        Some(v) => Some(m.index_of(v, "'{}' object cannot be interpreted as an integer")?),
    };
    match (&args[0], nd) {
        (Value::Int(i), None) => Ok(Value::Int(i.clone())),
        (Value::Bool(b), None) => Ok(Value::int(i64::from(*b))),
        (Value::Float(f), None) => {
            let f = f.get();
            let r = f.round();
            // Round half to even.
            let r = if (f - f.trunc()).abs() == 0.5 {
                2.0 * (f / 2.0).round()
            } else {
                r
            };
            float_to_int(m, r)
        }
        (Value::Float(f), Some(n)) => {
            let n = n
                .to_i32()
                .unwrap_or(if n.is_negative() { -400 } else { 400 });
            Ok(Value::float(round_float(f.get(), n)))
        }
        (Value::Int(i), Some(n)) => {
            if !n.is_negative() {
                return Ok(Value::Int(i.clone()));
            }
            let p = BigInt::from(10).pow(n.abs().to_u32().unwrap_or(u32::MAX).min(10_000));
            let i = i.to_big();
            let (q, r) = num_integer::Integer::div_mod_floor(&i, &p);
            let twice = &r * 2;
            let q = if twice > p || (twice == p && num_integer::Integer::is_odd(&q)) {
                q + 1
            } else {
                q
            };
            Ok(int_v(q * p))
        }
        (v, _) => {
            let v = v.clone();
            let t = m.type_of(&v);
            match m.lookup_in_mro(t, &PyStr::from("__round__")) {
                Some(f) => m.call(f, args.clone(), vec![]),
                None => {
                    let tn = m.type_name(t);
                    let _ = v;
                    Err(m.type_error(format!("type {tn} doesn't define __round__ method")))
                }
            }
        }
    }
}

/// `round(x, n)` for floats: correctly rounded through the exact value,
/// half to even, as CPython's `double_round` (dtoa mode 3) does.
fn round_float(x: f64, n: i32) -> f64 {
    if !x.is_finite() || x == 0.0 || n > 323 {
        return x;
    }
    if n >= 0 {
        // Rust's fixed-precision formatting rounds the exact binary value
        // half to even, as dtoa does.
        return format!("{:.*}", n as usize, x).parse().unwrap_or(x);
    }
    if n < -308 {
        return 0.0 * x;
    }
    // x = mant * 2^exp exactly; round x / 10^-n to an integer, half to even.
    let bits = x.abs().to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i64;
    let (mant, exp) = if raw_exp == 0 {
        (bits & ((1 << 52) - 1), -1074)
    } else {
        ((bits & ((1 << 52) - 1)) | (1 << 52), raw_exp - 1075)
    };
    let q = BigInt::from(10).pow((-n) as u32);
    let (num, den) = if exp >= 0 {
        (BigInt::from(mant) << exp as usize, q.clone())
    } else {
        (BigInt::from(mant), q.clone() << (-exp) as usize)
    };
    let (mut r, rem) = num_integer::Integer::div_rem(&num, &den);
    let twice = rem * 2;
    if twice > den || (twice == den && num_integer::Integer::is_odd(&r)) {
        r += 1;
    }
    let v: f64 = (r * q).to_string().parse().unwrap_or(f64::INFINITY);
    if x < 0.0 {
        -v
    } else {
        v
    }
}

fn min_max(m: &mut Machine, is_max: bool, args: Args, kwargs: Kwargs) -> PyResult<Value> {
    let name = if is_max { "max" } else { "min" };
    let key = kwarg(&kwargs, "key").filter(|k| !matches!(k, Value::None));
    let default = kwarg(&kwargs, "default");
    let items = match args.len() {
        0 => return Err(m.type_error(format!("{name} expected at least 1 argument, got 0"))),
        1 => m.collect(&args[0])?,
        _ => args,
    };
    let mut best: Option<(Value, Value)> = None;
    for v in items {
        let k = match &key {
            Some(f) => m.call(f.clone(), vec![v.clone()], vec![])?,
            None => v.clone(),
        };
        best = Some(match best {
            None => (k, v),
            Some((bk, bv)) => {
                let op = if is_max { CmpOp::Gt } else { CmpOp::Lt };
                let r = m.compare(op, &k, &bk)?;
                if m.truthy(&r)? {
                    (k, v)
                } else {
                    (bk, bv)
                }
            }
        });
    }
    match (best, default) {
        (Some((_, v)), _) => Ok(v),
        (None, Some(d)) => Ok(d),
        (None, None) => {
            Err(m.new_error("ValueError", format!("{name}() arg is an empty sequence")))
        }
    }
}

pub(crate) fn seq_index_count(
    m: &mut Machine,
    index: bool,
    items: &[Value],
    args: &[Value],
    what: &str,
) -> PyResult<Value> {
    let Some(x) = args.first() else {
        return Err(m.type_error(format!(
            "{}() takes at least 1 argument (0 given)",
            if index { "index" } else { "count" }
        )));
    };
    if index {
        for (i, v) in items.iter().enumerate() {
            if v.is(x) || m.eq(v, x)? {
                return Ok(Value::int(i as i64));
            }
        }
        return Err(m.new_error("ValueError", format!("{what}.index(x): x not in {what}")));
    }
    let mut n = 0;
    for v in items {
        if v.is(x) || m.eq(v, x)? {
            n += 1;
        }
    }
    Ok(Value::int(n))
}

// ----- generators ------------------------------------------------------------

fn generator_method(m: &mut Machine, id: BuiltinId, args: Args) -> PyResult<Value> {
    use crate::interp::generator::Resumed;
    let Some(Value::Obj(g)) = args.first().cloned() else {
        return Err(m.type_error("descriptor requires a 'generator' object".into()));
    };
    match id {
        BuiltinId::GenSend => {
            let v = args.get(1).cloned().unwrap_or(Value::None);
            match m.resume(g, v, None)? {
                Resumed::Yielded(y) => Ok(y),
                Resumed::Returned(r) => Err(stop_iteration(m, r)),
            }
        }
        BuiltinId::GenThrow => {
            let Some(e) = args.get(1).cloned() else {
                return Err(m.type_error("throw expected at least 1 argument, got 0".into()));
            };
            let e = if let (true, Some(v)) = (m.is_exception_class(&e), args.get(2)) {
                let v = v.clone();
                m.call(e, vec![v], vec![])?
            } else {
                e
            };
            let e = m.exception_from(e)?;
            match m.resume(g, Value::None, Some(e))? {
                Resumed::Yielded(y) => Ok(y),
                Resumed::Returned(r) => Err(stop_iteration(m, r)),
            }
        }
        _ => {
            let started = match m.heap.get(g) {
                Obj::Generator(s) => s.frame.is_some(),
                _ => false,
            };
            if !started {
                return Ok(Value::None);
            }
            let ge = m.types.get("GeneratorExit");
            let e = m.make_exception(ge, vec![]);
            match m.resume(g, Value::None, Some(e)) {
                Ok(Resumed::Yielded(_)) => {
                    Err(m.new_error("RuntimeError", "generator ignored GeneratorExit".into()))
                }
                Ok(Resumed::Returned(_)) => Ok(Value::None),
                Err(Fault::Raise(x))
                    if x == e || m.is_instance(&Value::Obj(x), m.types.get("StopIteration")) =>
                {
                    Ok(Value::None)
                }
                Err(f) => Err(f),
            }
        }
    }
}

fn stop_iteration(m: &mut Machine, r: Value) -> Fault {
    let args = if matches!(r, Value::None) {
        vec![]
    } else {
        vec![r]
    };
    m.new_error_args("StopIteration", args)
}

// ----- constructors ------------------------------------------------------------

fn ctor_object(m: &mut Machine, t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    if !args.is_empty() {
        return Err(m.type_error("object() takes no arguments".into()));
    }
    Ok(m.new_instance(t))
}

fn ctor_int(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    match args.as_slice() {
        [] => Ok(Value::int(0)),
        [Value::Int(i)] => Ok(Value::Int(i.clone())),
        [Value::Bool(b)] => Ok(Value::int(i64::from(*b))),
        [Value::Float(f)] => float_to_int(m, f.get().trunc()),
        [Value::Str(s)] => parse_int(m, s, 10),
        [Value::Str(s), base] => {
            let b = m.index_of(base, "")?.to_u32().unwrap_or(0);
            parse_int(m, s, b)
        }
        [v] => {
            let v = v.clone();
            let t = m.type_of(&v);
            for name in ["__int__", "__index__", "__trunc__"] {
                if let Some(f) = m.lookup_in_mro(t, &PyStr::from(name)) {
                    return m.call(f, vec![v], vec![]);
                }
            }
            let tn = m.type_name(t);
            Err(m.type_error(format!(
                "int() argument must be a string, a bytes-like object or a number, not '{tn}'"
            )))
        }
        _ => Err(m.type_error("int() takes at most 2 arguments".into())),
    }
}

fn parse_int(m: &mut Machine, s: &PyStr, base: u32) -> PyResult<Value> {
    if base == 1 || base > 36 {
        return Err(m.new_error(
            "ValueError",
            "int() base must be >= 2 and <= 36, or 0".into(),
        ));
    }
    // _PyUnicode_TransformDecimalAndSpaceToASCII: any decimal digit
    // counts as its ASCII digit.
    let raw: String = s
        .code_points()
        .into_iter()
        .map(|c| match strings::decimal_value(c) {
            Some(d) if c > 0x7f => char::from(b'0' + d as u8),
            _ => char::from_u32(c).unwrap_or('?'),
        })
        .collect();
    let given_base = base;
    let t = raw.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    // One sign only: the digit parser would take a second.
    let body = if body.starts_with(['+', '-']) {
        "\u{0}"
    } else {
        body
    };
    let (base, body) = match (base, body.get(..2).map(str::to_ascii_lowercase).as_deref()) {
        (0 | 16, Some("0x")) => (16, &body[2..]),
        (0 | 8, Some("0o")) => (8, &body[2..]),
        (0 | 2, Some("0b")) => (2, &body[2..]),
        // Base 0 reads a literal: no leading zeros on a non-zero decimal.
        (0, _)
            if body.len() > 1
                && body.starts_with('0')
                && body.trim_start_matches(['0', '_']).is_empty() =>
        {
            (10, body)
        }
        (0, _) if body.len() > 1 && body.starts_with('0') => (10, "\u{0}"),
        (0, _) => (10, body),
        (b, _) => (b, body),
    };
    let digits: String = body.chars().filter(|c| *c != '_').collect();
    let ok = !digits.is_empty()
        && !body.starts_with('_')
        && !body.ends_with('_')
        && !body.contains("__");
    match (ok, BigInt::parse_bytes(digits.as_bytes(), base)) {
        (true, Some(v)) => Ok(int_v(if neg { -v } else { v })),
        _ => {
            let shown = crate::pyrepr::repr_str(s);
            Err(m.new_error(
                "ValueError",
                format!("invalid literal for int() with base {given_base}: {shown}"),
            ))
        }
    }
}

fn ctor_float(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    match args.as_slice() {
        [] => Ok(Value::float(0.0)),
        [Value::Float(f)] => Ok(Value::Float(f.clone())),
        [Value::Int(_) | Value::Bool(_)] => {
            let f = float_arg(m, &args, "float")?;
            Ok(Value::float(f))
        }
        [Value::Str(s)] => {
            let t = text(s);
            let clean = t.trim().replace('_', "");
            let lower = clean.to_ascii_lowercase();
            let v = match lower.trim_start_matches(['+', '-']) {
                "inf" | "infinity" => Some(f64::INFINITY),
                "nan" => Some(f64::NAN),
                _ => clean.parse::<f64>().ok(),
            };
            match v {
                Some(v) => Ok(Value::float(
                    if lower.starts_with('-') && !v.is_sign_negative() {
                        -v
                    } else {
                        v
                    },
                )),
                None => {
                    let shown = crate::pyrepr::repr_str(s);
                    Err(m.new_error(
                        "ValueError",
                        format!("could not convert string to float: {shown}"),
                    ))
                }
            }
        }
        [v] => {
            let v = v.clone();
            let t = m.type_of(&v);
            match m.lookup_in_mro(t, &PyStr::from("__float__")) {
                Some(f) => m.call(f, vec![v], vec![]),
                None => {
                    let tn = m.type_name(t);
                    Err(m.type_error(format!(
                        "float() argument must be a string or a number, not '{tn}'"
                    )))
                }
            }
        }
        _ => Err(m.type_error("float expected at most 1 argument".into())),
    }
}

fn ctor_str(m: &mut Machine, _t: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    match args.as_slice() {
        [] if kw.is_empty() => Ok(Value::str("")),
        [v] if kw.is_empty() => Ok(Value::str(&m.str_of(v)?)),
        // str(bytes, encoding, errors) is bytes.decode(encoding, errors).
        [Value::Bytes(_), ..] => {
            let mut it = args.into_iter();
            let b = it.next();
            call_builtin(m, BuiltinId::BytesDecode, b, it.collect(), kw)
        }
        _ => Err(Fault::Stuck(
            "str() of a non-bytes value with an encoding is not implemented yet".into(),
        )),
    }
}

fn ctor_bool(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    match args.as_slice() {
        [] => Ok(Value::Bool(false)),
        [v] => Ok(Value::Bool(m.truthy(v)?)),
        _ => Err(m.type_error("bool expected at most 1 argument".into())),
    }
}

fn ctor_list(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let items = match args.first() {
        Some(v) => m.collect(v)?,
        None => Vec::new(),
    };
    Ok(Value::Obj(m.heap.alloc(Obj::List(items))))
}

fn ctor_tuple(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    match args.first() {
        Some(Value::Tuple(t)) => Ok(Value::Tuple(t.clone())),
        Some(v) => Ok(Value::tuple(m.collect(v)?)),
        None => Ok(Value::tuple(vec![])),
    }
}

fn ctor_dict(m: &mut Machine, _t: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    let d = m.heap.alloc(Obj::Dict(Dict::default()));
    call_builtin(m, BuiltinId::DictUpdate, Some(Value::Obj(d)), args, kw)?;
    Ok(Value::Obj(d))
}

fn ctor_set(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let items = match args.first() {
        Some(v) => m.collect(v)?,
        None => Vec::new(),
    };
    m.new_set(items, false)
}

fn ctor_frozenset(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let items = match args.first() {
        Some(v) => m.collect(v)?,
        None => Vec::new(),
    };
    m.new_set(items, true)
}

fn ctor_range(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let mut ints = Vec::with_capacity(args.len());
    for a in &args {
        ints.push(Int::from_big(
            m.index_of(a, "'{}' object cannot be interpreted as an integer")?,
        ));
    }
    let (start, stop, step) = match ints.len() {
        1 => (Int::Small(0), ints[0].clone(), Int::Small(1)),
        2 => (ints[0].clone(), ints[1].clone(), Int::Small(1)),
        3 => (ints[0].clone(), ints[1].clone(), ints[2].clone()),
        0 => return Err(m.type_error("range expected 1 argument, got 0".into())),
        n => return Err(m.type_error(format!("range expected at most 3 arguments, got {n}"))),
    };
    if step.to_big().is_zero() {
        return Err(m.new_error("ValueError", "range() arg 3 must not be zero".into()));
    }
    Ok(Value::Obj(m.heap.alloc(Obj::Range { start, stop, step })))
}

fn ctor_bytes(m: &mut Machine, t: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    if let (Some(Value::Str(_)), true) = (args.first(), args.len() >= 2 || !kw.is_empty()) {
        let mut it = args.into_iter();
        let s = it.next();
        return call_builtin(m, BuiltinId::StrEncode, s, it.collect(), kw);
    }
    match ctor_bytearray(m, t, args, kw)? {
        Value::Obj(id) => match m.heap.get(id) {
            Obj::ByteArray(b) => Ok(Value::Bytes(b.clone().into())),
            _ => Err(Fault::Stuck("bytes() made no byte array".into())),
        },
        other => Ok(other),
    }
}

fn ctor_bytearray(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let bytes: Vec<u8> = match args.as_slice() {
        [] => Vec::new(),
        [Value::Bytes(b)] => b.to_vec(),
        [Value::Int(n)] => {
            let n = n
                .to_big()
                .to_usize()
                .ok_or_else(|| m.new_error("ValueError", "negative count".into()))?;
            if n > crate::interp::ops::MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            vec![0; n]
        }
        [Value::Str(_)] => return Err(m.type_error("string argument without an encoding".into())),
        [v] => {
            let items = m.collect(v)?;
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                let b = m.index_of(&i, "'{}' object cannot be interpreted as an integer")?;
                match b.to_u8() {
                    Some(b) => out.push(b),
                    None => {
                        return Err(
                            m.new_error("ValueError", "byte must be in range(0, 256)".into())
                        )
                    }
                }
            }
            out
        }
        _ => {
            return Err(Fault::Stuck(
                "bytearray() with an encoding is not implemented yet".into(),
            ))
        }
    };
    Ok(Value::Obj(m.heap.alloc(Obj::ByteArray(bytes))))
}

fn ctor_slice(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let (start, stop, step) = match args.as_slice() {
        [b] => (Value::None, b.clone(), Value::None),
        [a, b] => (a.clone(), b.clone(), Value::None),
        [a, b, c] => (a.clone(), b.clone(), c.clone()),
        _ => return Err(m.type_error("slice expected at least 1 argument, got 0".into())),
    };
    Ok(Value::Obj(m.heap.alloc(Obj::Slice { start, stop, step })))
}

/// `type.__new__(meta, name, bases, ns)`: a class whose metaclass is `meta`.
pub fn make_class_of(m: &mut Machine, meta: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    ctor_type(m, meta, args, kw)
}

fn ctor_type(m: &mut Machine, t: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    match args.as_slice() {
        [v] if t == m.types.type_ => Ok(Value::Obj(m.type_of(v))),
        [Value::Str(name), Value::Tuple(bases), Value::Obj(ns)] => {
            let bases: Vec<ObjId> = bases.iter().filter_map(Value::obj).collect();
            let ns = match m.heap.get(*ns) {
                Obj::Dict(d) => d.clone(),
                _ => return Err(m.type_error("type() argument 3 must be dict".into())),
            };
            let class = make_class(m, name.clone(), bases, ns)?;
            // `type.__new__(meta, ...)` makes a class whose type is `meta`.
            if t != m.types.type_ {
                if let Value::Obj(c) = &class {
                    if let Obj::Type(ty) = m.heap.get_mut(*c) {
                        ty.metaclass = Some(t);
                    }
                }
            }
            init_class(m, &class, kw)?;
            Ok(class)
        }
        _ => Err(m.type_error("type() takes 1 or 3 arguments".into())),
    }
}

fn ctor_property(m: &mut Machine, _t: ObjId, args: Args, kw: Kwargs) -> PyResult<Value> {
    let get = |i: usize, name: &str| {
        args.get(i)
            .cloned()
            .or_else(|| kwarg(&kw, name))
            .unwrap_or(Value::None)
    };
    let p = Obj::Property {
        fget: get(0, "fget"),
        fset: get(1, "fset"),
        fdel: get(2, "fdel"),
        doc: get(3, "doc"),
    };
    Ok(Value::Obj(m.heap.alloc(p)))
}

fn ctor_staticmethod(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    arg_count(m, "staticmethod", &args, 1, 1)?;
    Ok(Value::Obj(m.heap.alloc(Obj::StaticMethod(args[0].clone()))))
}

fn ctor_classmethod(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    arg_count(m, "classmethod", &args, 1, 1)?;
    Ok(Value::Obj(m.heap.alloc(Obj::ClassMethod(args[0].clone()))))
}

/// `super()` with no arguments finds `__class__` and the first argument
/// in the calling frame, as CPython's `super_init` does.
fn ctor_super(m: &mut Machine, _t: ObjId, args: Args, _kw: Kwargs) -> PyResult<Value> {
    let (this_class, receiver) = match args.as_slice() {
        [Value::Obj(c), r] => (*c, r.clone()),
        [] => {
            let f = m
                .frames
                .back()
                .ok_or_else(|| Fault::Stuck("super() without a frame".into()))?;
            let code = f.code.clone();
            let Some(first) = f.fast.first().cloned().flatten() else {
                return Err(m.new_error("RuntimeError", "super(): no arguments".into()));
            };
            let idx = code
                .freevars
                .iter()
                .position(|n| n.as_str() == Some("__class__"))
                .map(|i| i + code.cellvars.len());
            let Some(idx) = idx else {
                return Err(m.new_error("RuntimeError", "super(): __class__ cell not found".into()));
            };
            let cell = f.cells[idx];
            match m.heap.get(cell) {
                Obj::Cell(Some(Value::Obj(c))) => (*c, first),
                _ => {
                    return Err(m.new_error("RuntimeError", "super(): empty __class__ cell".into()))
                }
            }
        }
        _ => return Err(m.type_error("super() argument 1 must be type".into())),
    };
    Ok(Value::Obj(m.heap.alloc(Obj::Super {
        this_class,
        receiver,
    })))
}

// ----- classes ---------------------------------------------------------------

/// `__build_class__(func, name, *bases)`: runs the class body with a fresh
/// namespace as its locals, then makes the class.
fn build_class(m: &mut Machine, args: Args, mut kwargs: Kwargs) -> PyResult<Value> {
    let explicit_meta = kwargs
        .iter()
        .position(|(k, _)| k.as_str() == Some("metaclass"))
        .map(|i| kwargs.remove(i).1);
    let mut it = args.into_iter();
    let (Some(func), Some(Value::Str(name))) = (it.next(), it.next()) else {
        return Err(m.type_error("__build_class__: not enough arguments".into()));
    };
    let mut bases = Vec::new();
    for b in it {
        match b {
            Value::Obj(id) if m.is_type(&b) => bases.push(id),
            other => {
                let tn = m.type_name_of(&other);
                return Err(m.type_error(format!("bases must be types, not {tn}")));
            }
        }
    }
    let Value::Obj(fid) = func else {
        return Err(m.type_error("__build_class__: func must be a function".into()));
    };
    let Obj::Function(f) = m.heap.get(fid).clone() else {
        return Err(m.type_error("__build_class__: func must be a function".into()));
    };
    let ns = m.heap.alloc(Obj::Dict(Dict::default()));
    let mut frame = m.function_frame(&f, vec![], vec![])?;
    frame.locals = Some(ns);
    let cell = m.run_to_return(frame)?;
    let Obj::Dict(ns_dict) = m.heap.get(ns).clone() else {
        return Err(Fault::Stuck("class namespace is not a dict".into()));
    };
    // The metaclass: the explicit one, else the most derived of the bases'.
    let mut meta = match explicit_meta {
        Some(Value::Obj(t)) if m.is_type(&Value::Obj(t)) => Some(t),
        Some(other) => {
            let tn = m.type_name_of(&other);
            return Err(Fault::Stuck(format!(
                "a metaclass that is not a class ({tn}) is not implemented yet"
            )));
        }
        None => None,
    };
    for b in &bases {
        let bm = m.type_of(&Value::Obj(*b));
        if bm != m.types.type_ && meta.is_none_or(|cur| m.is_subtype(bm, cur)) {
            meta = Some(bm);
        }
    }
    let class = match meta.filter(|t| *t != m.types.type_) {
        Some(meta) => {
            let ns_value = Value::Obj(m.heap.alloc(Obj::Dict(ns_dict)));
            let bases_value = Value::tuple(bases.iter().map(|b| Value::Obj(*b)).collect());
            m.call(
                Value::Obj(meta),
                vec![Value::Str(name), bases_value, ns_value],
                kwargs,
            )?
        }
        None => {
            let class = make_class(m, name, bases, ns_dict)?;
            init_class(m, &class, kwargs)?;
            class
        }
    };
    if let Value::Obj(c) = cell {
        if matches!(m.heap.get(c), Obj::Cell(_)) {
            *m.heap.get_mut(c) = Obj::Cell(Some(class.clone()));
        }
    }
    Ok(class)
}

/// `type(name, bases, ns)`.
pub fn make_class(
    m: &mut Machine,
    name: PyStr,
    mut bases: Vec<ObjId>,
    mut ns: Dict,
) -> PyResult<Value> {
    if bases.is_empty() {
        bases.push(m.types.object);
    }
    let qualname = match ns.find_str(&PyStr::from("__qualname__")) {
        Some(i) => match ns.remove_at(i) {
            Some(e) => match e.value {
                Value::Str(s) => s,
                _ => name.clone(),
            },
            None => name.clone(),
        },
        None => name.clone(),
    };
    if let Some(i) = ns.find_str(&PyStr::from("__classcell__")) {
        ns.remove_at(i);
    }
    let module = match ns.get_str(&PyStr::from("__module__")) {
        Some(Value::Str(s)) => s.clone(),
        _ => PyStr::from("builtins"),
    };
    let slots = match ns.get_str(&PyStr::from("__slots__")).cloned() {
        Some(v) => {
            let items = match v {
                Value::Str(s) => vec![Value::Str(s)],
                other => m.collect(&other)?,
            };
            let names: Vec<PyStr> = items
                .into_iter()
                .filter_map(|v| match v {
                    Value::Str(s) => Some(s),
                    _ => None,
                })
                .collect();
            Some(names)
        }
        None => None,
    };
    // Each slot but `__dict__`/`__weakref__` gets a member descriptor in
    // the class dict; a class variable of the same name is an error.
    let members: Vec<PyStr> = slots
        .iter()
        .flatten()
        .filter(|n| !matches!(n.as_str(), Some("__dict__" | "__weakref__")))
        .cloned()
        .collect();
    for n in &members {
        if ns.get_str(n).is_some() {
            return Err(m.new_error(
                "ValueError",
                format!("'{}' in __slots__ conflicts with class variable", text(n)),
            ));
        }
    }
    let slots = slots.filter(|names| !names.iter().any(|n| n.as_str() == Some("__dict__")));
    let layout = bases
        .iter()
        .map(|b| m.type_object(*b).layout)
        .find(|l| *l == crate::object::Layout::Exception)
        .unwrap_or(crate::object::Layout::Object);
    // type.__new__ makes these two implicit classmethods.
    for special in ["__init_subclass__", "__class_getitem__"] {
        if let Some(i) = ns.find_str(&PyStr::from(special)) {
            let f = ns.entries[i].as_ref().map(|e| e.value.clone());
            if let Some(f @ Value::Obj(fid)) = f {
                if matches!(m.heap.get(fid), Obj::Function(_)) {
                    let cm = m.heap.alloc(Obj::ClassMethod(f));
                    if let Some(e) = ns.entries[i].as_mut() {
                        e.value = Value::Obj(cm);
                    }
                }
            }
        }
    }
    // `__eq__` without `__hash__` makes instances unhashable.
    if ns.get_str(&PyStr::from("__eq__")).is_some()
        && ns.get_str(&PyStr::from("__hash__")).is_none()
    {
        let h = crate::pyhash::hash_str(&PyStr::from("__hash__"));
        ns.push(h, Value::str("__hash__"), Value::None);
    }
    let id = m.heap.alloc(Obj::Type(Box::new(TypeObject {
        name,
        qualname,
        module,
        bases: bases.clone(),
        mro: Vec::new(),
        dict: ns,
        layout,
        slots,
        metaclass: None,
    })));
    let mro = m.compute_mro(id, &bases)?;
    if let Obj::Type(t) = m.heap.get_mut(id) {
        t.mro = mro;
    }
    for n in members {
        let d = m.heap.alloc(Obj::MemberDescriptor {
            name: n.clone(),
            class: id,
        });
        let h = crate::pyhash::hash_str(&n);
        if let Obj::Type(t) = m.heap.get_mut(id) {
            t.dict.push(h, Value::Str(n), Value::Obj(d));
        }
    }
    Ok(Value::Obj(id))
}

/// What `type.__new__` does once the class exists: `__set_name__` on each
/// attribute that defines it, then the parent's `__init_subclass__` with
/// the class keywords.
fn init_class(m: &mut Machine, class: &Value, kwargs: Kwargs) -> PyResult<()> {
    let Value::Obj(cid) = class else {
        return Ok(());
    };
    let entries: Vec<(Value, Value)> = m
        .type_object(*cid)
        .dict
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect();
    for (k, v) in entries {
        if let Value::Obj(vid) = &v {
            if matches!(m.heap.get(*vid), Obj::Instance { .. }) {
                let vt = m.type_of(&v);
                if let Some(f) = m.lookup_in_mro(vt, &PyStr::from("__set_name__")) {
                    m.call(f, vec![v.clone(), class.clone(), k], vec![])?;
                }
            }
        }
    }
    if let Some(Value::Obj(f)) = m.lookup_after(*cid, *cid, &PyStr::from("__init_subclass__")) {
        match m.heap.get(f).clone() {
            Obj::ClassMethod(func) => {
                m.call(func, vec![class.clone()], kwargs)?;
            }
            Obj::Builtin { .. } if !kwargs.is_empty() => {
                let tn = m.type_name(*cid);
                return Err(m.type_error(format!(
                    "{tn}.__init_subclass__() takes no keyword arguments"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

// ----- formatting ------------------------------------------------------------

/// `ascii(v)`: `repr(v)` with non-ASCII characters escaped.
pub fn ascii_of(m: &mut Machine, v: &Value) -> PyResult<String> {
    let r = m.repr_of(v)?;
    let mut out = String::with_capacity(r.len());
    for c in r.chars() {
        let u = c as u32;
        if u < 0x80 {
            out.push(c);
        } else if u < 0x100 {
            out.push_str(&format!("\\x{u:02x}"));
        } else if u < 0x10000 {
            out.push_str(&format!("\\u{u:04x}"));
        } else {
            out.push_str(&format!("\\U{u:08x}"));
        }
    }
    Ok(out)
}

/// Raises the Python exception a formatting error stands for.
fn format_fault(m: &mut Machine, e: crate::pyformat::FormatError) -> Fault {
    let kind = e.exception_type();
    m.new_error(kind, e.to_string())
}

/// `format(v, spec)`: `__format__` for user classes; an empty spec is `str(v)`.
pub fn format_value(m: &mut Machine, v: &Value, spec: &str) -> PyResult<String> {
    use crate::pyformat::{format_float, format_int, format_str, parse_spec};
    if let Value::Obj(_) = v {
        let t = m.type_of(v);
        if let Some(f) = m.lookup_in_mro(t, &PyStr::from("__format__")) {
            if !m.is_builtin_slot(&f) {
                let r = m.call(f, vec![v.clone(), Value::str(spec)], vec![])?;
                return match r {
                    Value::Str(s) => Ok(text(&s)),
                    other => {
                        let tn = m.type_name_of(&other);
                        Err(m.type_error(format!("__format__ must return a str, not {tn}")))
                    }
                };
            }
        }
    }
    if spec.is_empty() {
        return m.str_of(v);
    }
    if let Some(b) = m.base_of(v) {
        return format_value(m, &b, spec);
    }
    if let Value::Complex(re, im) = v {
        return numbers::format_complex(m, *re, *im, spec);
    }
    if !matches!(
        v,
        Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::Str(_)
    ) {
        let tn = m.type_name_of(v);
        return Err(m.type_error(format!(
            "unsupported format string passed to {tn}.__format__"
        )));
    }
    let parsed = parse_spec(spec).map_err(|e| format_fault(m, e))?;
    let r = match v {
        Value::Int(i) => format_int(&i.to_big(), &parsed),
        Value::Bool(b) => {
            format_int(&BigInt::from(i64::from(*b)), &parsed).map_err(|e| e.for_type("bool"))
        }
        Value::Float(f) => format_float(f.get(), &parsed),
        Value::Str(s) => format_str(&text(s), &parsed),
        _ => {
            let tn = m.type_name_of(v);
            return Err(m.type_error(format!(
                "unsupported format string passed to {tn}.__format__"
            )));
        }
    };
    r.map_err(|e| format_fault(m, e))
}

/// The interpreter's answers to `%`-formatting's questions.
struct PercentBridge<'a> {
    m: &'a mut Machine,
}

impl crate::pyformat::PercentSource for PercentBridge<'_> {
    type Value = Value;
    type Error = PercentError;

    fn get_item(&mut self, mapping: &Value, key: &str) -> Result<Value, PercentError> {
        self.m
            .get_item(mapping, &Value::str(key))
            .map_err(PercentError::Fault)
    }

    fn convert(
        &mut self,
        value: &Value,
        request: crate::pyformat::ArgRequest,
    ) -> Result<crate::pyformat::PercentArg, PercentError> {
        use crate::pyformat::{ArgRequest as R, PercentArg as A};
        let m = &mut *self.m;
        let unsupported = |m: &Machine, v: &Value| A::Unsupported {
            type_name: m.type_name_of(v),
        };
        let r = match (request, value) {
            (R::Str, v) => A::Str(m.str_of(v).map_err(PercentError::Fault)?),
            (R::Repr, v) => A::Str(m.repr_of(v).map_err(PercentError::Fault)?),
            (R::Ascii, v) => A::Str(ascii_of(m, v).map_err(PercentError::Fault)?),
            (R::Star | R::Number | R::Index | R::Char | R::Float, Value::Int(i)) => {
                A::Int(i.to_big())
            }
            (R::Star | R::Number | R::Index | R::Char | R::Float, Value::Bool(b)) => {
                A::Int(BigInt::from(i64::from(*b)))
            }
            (R::Number | R::Float, Value::Float(f)) => A::Float(f.get()),
            (R::Char, Value::Str(s)) => A::Str(text(s)),
            (_, v) => unsupported(m, v),
        };
        Ok(r)
    }
}

/// The `%`-formatting bridge for `bytes % args`: text is Latin-1, one
/// char a byte; `%s`/`%b` take a bytes-like object or `__bytes__`,
/// `%r`/`%a` are `ascii()`, `%c` an int in `range(256)` or one byte.
struct BytesPercentBridge<'a> {
    m: &'a mut Machine,
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

impl crate::pyformat::PercentSource for BytesPercentBridge<'_> {
    type Value = Value;
    type Error = PercentError;

    fn get_item(&mut self, mapping: &Value, key: &str) -> Result<Value, PercentError> {
        let key = Value::Bytes(key.chars().map(|c| c as u8).collect::<Vec<u8>>().into());
        self.m.get_item(mapping, &key).map_err(PercentError::Fault)
    }

    fn convert(
        &mut self,
        value: &Value,
        request: crate::pyformat::ArgRequest,
    ) -> Result<crate::pyformat::PercentArg, PercentError> {
        use crate::pyformat::{ArgRequest as R, PercentArg as A};
        let m = &mut *self.m;
        let fault = PercentError::Fault;
        let bytes_of = |m: &mut Machine, v: &Value| -> PyResult<Option<Vec<u8>>> {
            match v {
                Value::Bytes(b) => Ok(Some(b.to_vec())),
                Value::Obj(id) if matches!(m.heap.get(*id), Obj::ByteArray(_)) => {
                    numbers::bytes_of(m, v).map(Some)
                }
                Value::Obj(_) => {
                    let t = m.type_of(v);
                    if m.lookup_in_mro(t, &PyStr::from("__bytes__")).is_some() {
                        numbers::bytes_of(m, v).map(Some)
                    } else {
                        Ok(None)
                    }
                }
                _ => Ok(None),
            }
        };
        Ok(match request {
            R::Str => match bytes_of(m, value).map_err(fault)? {
                Some(b) => A::Str(latin1(&b)),
                None => {
                    let tn = m.type_name_of(value);
                    return Err(fault(m.type_error(format!(
                        "%b requires a bytes-like object, or an object that implements __bytes__, not '{tn}'"
                    ))));
                }
            },
            R::Repr | R::Ascii => A::Str(ascii_of(m, value).map_err(fault)?),
            R::Char => {
                let b = match value {
                    Value::Int(_) | Value::Bool(_) => {
                        let i = m.index_of(value, "").map_err(fault)?;
                        match i.to_u8() {
                            Some(b) => b,
                            None => {
                                return Err(fault(m.new_error(
                                    "OverflowError",
                                    "%c arg not in range(256)".into(),
                                )))
                            }
                        }
                    }
                    _ => match bytes_of(m, value).map_err(fault)? {
                        Some(b) if b.len() == 1 => b[0],
                        _ => {
                            return Err(fault(m.type_error(
                                "%c requires an integer in range(256) or a single byte".into(),
                            )))
                        }
                    },
                };
                A::Str(latin1(&[b]))
            }
            other => {
                return PercentBridge { m }.convert(value, other);
            }
        })
    }

    fn formats_bytes(&self) -> bool {
        true
    }
}

/// An error out of `%`-formatting: a formatting rule or a Python exception.
enum PercentError {
    Format(crate::pyformat::FormatError),
    Fault(Fault),
}

impl From<crate::pyformat::FormatError> for PercentError {
    fn from(e: crate::pyformat::FormatError) -> Self {
        PercentError::Format(e)
    }
}

/// `fmt % args` for `str` and `bytes` formats.
pub fn percent_format(m: &mut Machine, fmt: &Value, args: &Value) -> PyResult<Value> {
    use crate::pyformat::PercentArgs;
    let is_mapping = match args {
        Value::Obj(id) => match m.heap.get(*id) {
            Obj::Dict(_) => true,
            Obj::Instance { .. } => {
                let t = m.type_of(args);
                m.lookup_in_mro(t, &PyStr::from("__getitem__")).is_some()
            }
            _ => false,
        },
        _ => false,
    };
    // A tuple subclass supplies its items, as PyTuple_Check accepts it.
    let args = &match m.base_of(args) {
        Some(b @ Value::Tuple(_)) => b,
        _ => args.clone(),
    };
    let pargs = match args {
        Value::Tuple(t) => PercentArgs::Tuple(t.to_vec()),
        v if is_mapping => PercentArgs::Mapping(v.clone()),
        v => PercentArgs::Single(v.clone()),
    };
    let result = match fmt {
        Value::Str(s) => crate::pyformat::percent_format(&text(s), pargs, &mut PercentBridge { m })
            .map(|s| Value::str(&s)),
        Value::Bytes(b) => {
            crate::pyformat::percent_format(&latin1(b), pargs, &mut BytesPercentBridge { m })
                // Every char is Latin-1: the format's bytes, ASCII numbers
                // and `ascii()` text, and Latin-1 renderings of bytes.
                .map(|s| Value::Bytes(s.chars().map(|c| c as u8).collect::<Vec<u8>>().into()))
        }
        _ => return Err(Fault::Stuck("percent_format of a non-string".into())),
    };
    match result {
        Ok(v) => Ok(v),
        Err(PercentError::Fault(f)) => Err(f),
        Err(PercentError::Format(e)) => Err(format_fault(m, e)),
    }
}

// ----- native modules ------------------------------------------------------------

/// The native module `name`, made on first import, if pyreg has one.
pub fn native_module(m: &mut Machine, name: &str) -> PyResult<Option<Value>> {
    if !matches!(name, "math" | "sys") {
        return Ok(None);
    }
    let mut d = Dict::default();
    let key = |s: &str| (crate::pyhash::hash_str(&PyStr::from(s)), Value::str(s));
    let (h, k) = key("__name__");
    d.push(h, k, Value::str(name));
    for &(id, n, owner) in BUILTINS {
        if owner
            == Owner::Module(match name {
                "math" => "math",
                _ => "sys",
            })
        {
            let f = m.heap.alloc(Obj::Builtin { id, receiver: None });
            let (h, k) = key(n);
            d.push(h, k, Value::Obj(f));
        }
    }
    if name == "math" {
        for (n, v) in [
            ("pi", std::f64::consts::PI),
            ("e", std::f64::consts::E),
            ("tau", std::f64::consts::TAU),
            ("inf", f64::INFINITY),
            ("nan", f64::NAN),
        ] {
            let (h, k) = key(n);
            d.push(h, k, Value::float(v));
        }
    } else {
        let argv: Vec<Value> = m.argv.iter().map(|a| Value::str(a)).collect();
        let l = m.heap.alloc(Obj::List(argv));
        let (h, k) = key("argv");
        d.push(h, k, Value::Obj(l));
        let (h, k) = key("maxsize");
        d.push(h, k, Value::int(i64::MAX));
    }
    let dict = m.heap.alloc(Obj::Dict(d));
    Ok(Some(Value::Obj(m.heap.alloc(Obj::Module {
        name: PyStr::from(name),
        dict,
    }))))
}
