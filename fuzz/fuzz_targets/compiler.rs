#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| pyreg_proofs::fuzz_bodies::compiler(data));
