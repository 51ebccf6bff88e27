#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cm_fuzz::load_and_check(cm_fuzz::desk(), data));
