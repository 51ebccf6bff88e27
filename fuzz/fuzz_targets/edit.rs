#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cm_fuzz::edit(cm_fuzz::desk(), data);
});
