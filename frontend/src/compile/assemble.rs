//! From basic blocks to a code object, as CPython 3.9's `assemble()` does:
//! the stack depth over the reachable blocks, jump offsets (with
//! `EXTENDED_ARG` growth until stable), the line-number table, and then
//! the peephole optimizer (`Python/peephole.c`) on the finished wordcode.

use super::{Block, Instr};
use pyreg_spec::code::Constant;
use pyreg_spec::opcode::{ArgKind, Opcode};

/// The number of code units an argument needs (with `EXTENDED_ARG`s).
pub fn instr_size(arg: u32) -> usize {
    if arg <= 0xff {
        1
    } else if arg <= 0xffff {
        2
    } else if arg <= 0xff_ffff {
        3
    } else {
        4
    }
}

fn is_jump(op: Opcode) -> bool {
    matches!(op.info().arg, ArgKind::JumpAbsolute | ArgKind::JumpRelative)
}

fn is_relative(op: Opcode) -> bool {
    op.info().arg == ArgKind::JumpRelative
}

/// `stackdepth()`: the deepest operand stack over the blocks reachable from
/// the entry, following fall-through and jumps with their own effects.
pub fn stack_depth(blocks: &[Block]) -> u32 {
    if blocks.is_empty() {
        return 0;
    }
    let mut start: Vec<i64> = vec![i64::MIN; blocks.len()];
    let mut work = vec![0usize];
    start[0] = 0;
    let mut max = 0i64;
    while let Some(b) = work.pop() {
        let mut depth = start[b];
        let mut next = blocks[b].next;
        for ins in &blocks[b].instrs {
            let new_depth = depth + i64::from(ins.op.stack_effect(ins.arg, false));
            max = max.max(new_depth);
            if let Some(t) = ins.target {
                let target_depth = depth + i64::from(ins.op.stack_effect(ins.arg, true));
                max = max.max(target_depth);
                if start[t] == i64::MIN {
                    start[t] = target_depth;
                    work.push(t);
                }
            }
            depth = new_depth;
            if matches!(
                ins.op,
                Opcode::JumpAbsolute
                    | Opcode::JumpForward
                    | Opcode::ReturnValue
                    | Opcode::RaiseVarargs
                    | Opcode::Reraise
            ) {
                next = None;
                break;
            }
        }
        if let Some(n) = next {
            if start[n] == i64::MIN {
                start[n] = depth;
                work.push(n);
            }
        }
    }
    max.max(0) as u32
}

/// The blocks in emission order: the `b_next` chain from the entry.
fn order(blocks: &[Block]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; blocks.len()];
    let mut b = Some(0);
    while let Some(i) = b {
        if seen[i] {
            break;
        }
        seen[i] = true;
        out.push(i);
        b = blocks[i].next;
    }
    out
}

/// Lays the blocks out, resolves jumps and writes the wordcode and the
/// line table starting at `firstlineno`.
pub fn assemble(blocks: &mut [Block], firstlineno: u32) -> (Vec<u8>, Vec<u8>) {
    let order = order(blocks);
    let mut offset = vec![0usize; blocks.len()];
    loop {
        let mut total = 0;
        for &b in &order {
            offset[b] = total;
            total += blocks[b]
                .instrs
                .iter()
                .map(|i| instr_size(i.arg))
                .sum::<usize>();
        }
        let mut again = false;
        for &b in &order {
            let mut pos = offset[b];
            for ins in blocks[b].instrs.iter_mut() {
                let size = instr_size(ins.arg);
                pos += size;
                if let Some(t) = ins.target {
                    let mut arg = offset[t] as i64;
                    if is_relative(ins.op) {
                        arg -= pos as i64;
                    }
                    let arg = (arg.max(0) * 2) as u32;
                    ins.arg = arg;
                    if instr_size(arg) != size {
                        again = true;
                    }
                }
            }
        }
        if !again {
            break;
        }
    }
    let mut code = Vec::new();
    let mut lnotab = Vec::new();
    let mut last_line = firstlineno as i64;
    let mut last_off = 0usize;
    for &b in &order {
        for ins in &blocks[b].instrs {
            let here = code.len() / 2;
            if ins.line != 0 {
                line_entry(
                    &mut lnotab,
                    ins.line as i64 - last_line,
                    (here - last_off) * 2,
                );
                if ins.line as i64 != last_line {
                    last_line = ins.line as i64;
                    last_off = here;
                }
            }
            write_op(&mut code, ins.op as u8, ins.arg, instr_size(ins.arg));
        }
    }
    (code, lnotab)
}

/// `assemble_lnotab`: one (offset increment, line increment) entry, split
/// where either does not fit in a byte.
fn line_entry(lnotab: &mut Vec<u8>, mut d_line: i64, mut d_byte: usize) {
    if d_line == 0 {
        return;
    }
    while d_byte > 255 {
        lnotab.extend_from_slice(&[255, 0]);
        d_byte -= 255;
    }
    if !(-128..=127).contains(&d_line) {
        let (k, n) = if d_line < 0 {
            (-128i64, (-d_line) / 128)
        } else {
            (127, d_line / 127)
        };
        d_line -= n * k;
        lnotab.push(d_byte as u8);
        lnotab.push(k as i8 as u8);
        d_byte = 0;
        for _ in 1..n {
            lnotab.push(0);
            lnotab.push(k as i8 as u8);
        }
    }
    lnotab.push(d_byte as u8);
    lnotab.push(d_line as i8 as u8);
}

fn write_op(code: &mut Vec<u8>, op: u8, arg: u32, size: usize) {
    for k in (1..size).rev() {
        code.push(Opcode::ExtendedArg as u8);
        code.push((arg >> (8 * k)) as u8);
    }
    code.push(op);
    code.push(arg as u8);
}

/// The peephole optimizer of CPython 3.9 on finished wordcode: code units
/// are (opcode, byte) pairs; the argument of an instruction is spread over
/// its `EXTENDED_ARG` prefixes.
pub struct Peephole<'a> {
    code: Vec<(u8, u8)>,
    consts: &'a mut Vec<Constant>,
}

const NOP: u8 = Opcode::Nop as u8;
const EXT: u8 = Opcode::ExtendedArg as u8;

fn op_of(b: u8) -> Option<Opcode> {
    Opcode::from_u8(b)
}

fn absolute(op: u8) -> bool {
    matches!(
        op_of(op),
        Some(
            Opcode::JumpAbsolute
                | Opcode::PopJumpIfFalse
                | Opcode::PopJumpIfTrue
                | Opcode::JumpIfFalseOrPop
                | Opcode::JumpIfTrueOrPop
                | Opcode::JumpIfNotExcMatch
        )
    )
}

fn conditional(op: u8) -> bool {
    matches!(
        op_of(op),
        Some(
            Opcode::PopJumpIfFalse
                | Opcode::PopJumpIfTrue
                | Opcode::JumpIfFalseOrPop
                | Opcode::JumpIfTrueOrPop
        )
    )
}

fn on_true(op: u8) -> bool {
    matches!(
        op_of(op),
        Some(Opcode::PopJumpIfTrue | Opcode::JumpIfTrueOrPop)
    )
}

fn unconditional(op: u8) -> bool {
    matches!(op_of(op), Some(Opcode::JumpAbsolute | Opcode::JumpForward))
}

fn has_jump_arg(op: u8) -> bool {
    op_of(op).is_some_and(is_jump)
}

impl<'a> Peephole<'a> {
    /// Runs the optimizer; returns the new code and line table, or the
    /// inputs unchanged where CPython gives up.
    pub fn run(code: &[u8], lnotab: &[u8], consts: &'a mut Vec<Constant>) -> (Vec<u8>, Vec<u8>) {
        // CPython leaves code alone when a line-table byte increment is 255.
        if lnotab.chunks(2).any(|p| p[0] == 255) || code.is_empty() {
            return (code.to_vec(), lnotab.to_vec());
        }
        let mut p = Peephole {
            code: code.chunks(2).map(|c| (c[0], c[1])).collect(),
            consts,
        };
        match p.optimize(lnotab) {
            Some(r) => r,
            None => (code.to_vec(), lnotab.to_vec()),
        }
    }

    fn len(&self) -> usize {
        self.code.len()
    }

    fn op(&self, i: usize) -> u8 {
        self.code[i].0
    }

    fn get_arg(&self, i: usize) -> u32 {
        let mut arg = u32::from(self.code[i].1);
        let mut k = 1;
        while i >= k && self.code[i - k].0 == EXT && k < 4 {
            arg |= u32::from(self.code[i - k].1) << (8 * k);
            k += 1;
        }
        arg
    }

    fn find_op(&self, mut i: usize) -> usize {
        while i < self.len() && self.code[i].0 == EXT {
            i += 1;
        }
        i
    }

    fn jump_target(&self, i: usize) -> usize {
        let arg = self.get_arg(i) as usize / 2;
        if absolute(self.op(i)) {
            arg
        } else {
            arg + i + 1
        }
    }

    fn fill_nops(&mut self, from: usize, to: usize) {
        for k in from..to.min(self.len()) {
            self.code[k] = (NOP, 0);
        }
    }

    fn write_op_arg(&mut self, at: usize, op: u8, arg: u32, size: usize) {
        for k in 0..size {
            let shift = 8 * (size - 1 - k);
            let o = if k + 1 == size { op } else { EXT };
            self.code[at + k] = (o, (arg >> shift) as u8);
        }
    }

    fn set_arg(&mut self, i: usize, arg: u32) -> Option<usize> {
        let cur = instr_size(self.get_arg(i));
        let new = instr_size(arg);
        if cur < new {
            return None;
        }
        let op = self.op(i);
        self.write_op_arg(i + 1 - new, op, arg, new);
        self.fill_nops(i + 1 - cur, i + 1 - new);
        Some(i + 1 - new)
    }

    fn copy_op_arg(&mut self, i: usize, op: u8, arg: u32, maxi: usize) -> Option<usize> {
        let len = instr_size(arg);
        if i + len > maxi {
            return None;
        }
        self.write_op_arg(maxi - len, op, arg, len);
        self.fill_nops(i, maxi - len);
        Some(maxi - 1)
    }

    /// `markblocks`: the number of jump targets at or before each unit.
    fn mark_blocks(&self) -> Vec<u32> {
        let mut blocks = vec![0u32; self.len()];
        for i in 0..self.len() {
            if has_jump_arg(self.op(i)) {
                let t = self.jump_target(i);
                if t < blocks.len() {
                    blocks[t] = 1;
                }
            }
        }
        let mut acc = 0;
        for b in blocks.iter_mut() {
            acc += *b;
            *b = acc;
        }
        blocks
    }

    fn optimize(&mut self, lnotab: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let blocks = self.mark_blocks();
        let same_block = |a: usize, b: usize| blocks[a] == blocks[b];
        let codelen = self.len();
        let mut cumlc = 0usize;
        let mut i = self.find_op(0);
        while i < codelen {
            let opcode = self.op(i);
            let mut op_start = i;
            while op_start >= 1 && self.op(op_start - 1) == EXT {
                op_start -= 1;
            }
            let mut nexti = i + 1;
            while nexti < codelen && self.op(nexti) == EXT {
                nexti += 1;
            }
            let nextop = if nexti < codelen { self.op(nexti) } else { 0 };
            let lastlc = cumlc;
            cumlc = 0;
            match op_of(opcode) {
                Some(Opcode::LoadConst) => {
                    cumlc = lastlc + 1;
                    if nextop == Opcode::PopJumpIfFalse as u8 && same_block(op_start, i + 1) {
                        let c = self.consts.get(self.get_arg(i) as usize)?;
                        if super::fold::truthy(c) {
                            self.fill_nops(op_start, nexti + 1);
                            cumlc = 0;
                        }
                    }
                }
                Some(Opcode::BuildTuple) => {
                    let j = self.get_arg(i) as usize;
                    if opcode == Opcode::BuildTuple as u8 && j > 0 && lastlc >= j {
                        let h = self.lastn_const_start(op_start, j);
                        if same_block(h, op_start) {
                            self.fold_tuple(h, i + 1, j);
                            i = nexti;
                            continue;
                        }
                    }
                    if j != 0
                        && nextop == Opcode::UnpackSequence as u8
                        && same_block(op_start, i + 1)
                        && j as u32 == self.get_arg(nexti)
                    {
                        if j < 2 {
                            self.fill_nops(op_start, nexti + 1);
                        } else if j == 2 {
                            self.code[op_start] = (Opcode::RotTwo as u8, 0);
                            self.fill_nops(op_start + 1, nexti + 1);
                        } else if j == 3 {
                            self.code[op_start] = (Opcode::RotThree as u8, 0);
                            self.code[op_start + 1] = (Opcode::RotTwo as u8, 0);
                            self.fill_nops(op_start + 2, nexti + 1);
                        }
                    }
                }
                Some(
                    Opcode::JumpIfFalseOrPop
                    | Opcode::JumpIfTrueOrPop
                    | Opcode::PopJumpIfFalse
                    | Opcode::PopJumpIfTrue
                    | Opcode::JumpForward
                    | Opcode::JumpAbsolute,
                ) => {
                    if opcode == Opcode::JumpIfFalseOrPop as u8
                        || opcode == Opcode::JumpIfTrueOrPop as u8
                    {
                        let h = self.get_arg(i) as usize / 2;
                        let tgt = self.find_op(h);
                        if tgt < codelen && conditional(self.op(tgt)) {
                            let j = self.op(tgt);
                            let (res, newop) = if on_true(j) == on_true(opcode) {
                                (self.set_arg(i, self.get_arg(tgt)), opcode)
                            } else {
                                let newop = if opcode == Opcode::JumpIfTrueOrPop as u8 {
                                    Opcode::PopJumpIfTrue as u8
                                } else {
                                    Opcode::PopJumpIfFalse as u8
                                };
                                (self.set_arg(i, ((tgt + 1) * 2) as u32), newop)
                            };
                            if let Some(h) = res {
                                // The instruction is looked at again with
                                // its new opcode and target.
                                let last = self.find_op(h);
                                self.code[last].0 = newop;
                                i = h;
                                continue;
                            }
                        }
                    }
                    let h = self.jump_target(i);
                    let tgt = self.find_op(h);
                    if tgt >= codelen {
                        i = nexti;
                        continue;
                    }
                    if unconditional(opcode) && self.op(tgt) == Opcode::ReturnValue as u8 {
                        self.code[op_start] = (Opcode::ReturnValue as u8, 0);
                        self.fill_nops(op_start + 1, i + 1);
                    } else if unconditional(self.op(tgt)) {
                        let mut arg = self.jump_target(tgt);
                        let mut newop = opcode;
                        if opcode == Opcode::JumpForward as u8 {
                            newop = Opcode::JumpAbsolute as u8;
                        } else if !absolute(opcode) {
                            if arg < i + 1 {
                                i = nexti;
                                continue;
                            }
                            arg -= i + 1;
                        }
                        self.copy_op_arg(op_start, newop, (arg * 2) as u32, i + 1);
                    }
                }
                Some(Opcode::ReturnValue) => {
                    let mut h = i + 1;
                    while h < codelen && same_block(i, h) {
                        let o = self.op(h);
                        if o == Opcode::SetupFinally as u8 || o == Opcode::Reraise as u8 {
                            while h > i + 1 && self.op(h - 1) == EXT {
                                h -= 1;
                            }
                            break;
                        }
                        h += 1;
                    }
                    if h > i + 1 {
                        self.fill_nops(i + 1, h);
                        nexti = self.find_op(h);
                    }
                }
                _ => {}
            }
            i = nexti;
        }
        // Fix the line table and the jumps for the NOPs about to go.
        let mut newpos = vec![0usize; codelen + 1];
        let mut nops = 0;
        for (k, slot) in newpos.iter_mut().enumerate().take(codelen) {
            *slot = k - nops;
            if self.op(k) == NOP {
                nops += 1;
            }
        }
        newpos[codelen] = codelen - nops;
        let mut lnotab = lnotab.to_vec();
        let mut cum = 0usize;
        let mut last = 0usize;
        for pair in lnotab.chunks_mut(2) {
            cum += pair[0] as usize;
            let new = newpos[(cum / 2).min(codelen)] * 2;
            let delta = new.checked_sub(last)?;
            if delta > 255 {
                return None;
            }
            pair[0] = delta as u8;
            last = new;
        }
        let mut out = Vec::with_capacity(codelen * 2);
        let mut k = 0;
        while k < codelen {
            let op_start = k;
            let mut j = u32::from(self.code[k].1);
            while self.code[k].0 == EXT && k + 1 < codelen {
                k += 1;
                j = (j << 8) | u32::from(self.code[k].1);
            }
            let opcode = self.code[k].0;
            if opcode == NOP {
                k += 1;
                continue;
            }
            if has_jump_arg(opcode) {
                if absolute(opcode) {
                    j = (newpos[(j as usize / 2).min(codelen)] * 2) as u32;
                } else {
                    let t = (j as usize / 2 + k + 1).min(codelen);
                    j = ((newpos[t] - newpos[k] - 1) * 2) as u32;
                }
            }
            let ilen = k - op_start + 1;
            if instr_size(j) > ilen {
                return None;
            }
            let mut tmp = Vec::new();
            write_op(&mut tmp, opcode, j, ilen);
            out.extend(tmp);
            k += 1;
        }
        Some((out, lnotab))
    }

    fn lastn_const_start(&self, mut i: usize, mut n: usize) -> usize {
        loop {
            i -= 1;
            if self.op(i) == Opcode::LoadConst as u8 {
                n -= 1;
                if n == 0 {
                    while i > 0 && self.op(i - 1) == EXT {
                        i -= 1;
                    }
                    return i;
                }
            }
        }
    }

    fn fold_tuple(&mut self, c_start: usize, opcode_end: usize, n: usize) {
        let mut items = Vec::with_capacity(n);
        let mut pos = c_start;
        for _ in 0..n {
            pos = self.find_op(pos);
            let Some(c) = self.consts.get(self.get_arg(pos) as usize) else {
                return;
            };
            items.push(c.clone());
            pos += 1;
        }
        let index = self.consts.len() as u32;
        self.consts.push(super::fold::tuple(items));
        self.copy_op_arg(c_start, Opcode::LoadConst as u8, index, opcode_end);
    }
}

/// Instructions of a block in emission order, for tests and tools.
pub fn flatten(blocks: &[Block]) -> Vec<Instr> {
    order(blocks)
        .into_iter()
        .flat_map(|b| blocks[b].instrs.clone())
        .collect()
}
